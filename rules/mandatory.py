"""R-MANDATORY: when the MFO must agree, for at least 3 months and without fees (LMF Art. 9-2 p.3; policy p.74;
ARDFM Res. 49/2025)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.borrower import BorrowerFlags
from rules.citations import rule_outcome
from rules.ids import R_MANDATORY
from rules.outcome import RuleOutcome
from rules.ruleset import RequestGround, RuleSet
from rules.vulnerable import categories_in_force
from schedules.terms import PlanParams

GROUND_PAYMENT_CUT = "request:payment_cut"
GROUND_DEFERRAL = "request:deferral"
GROUND_INCOME_DROP = "income_drop"
GROUND_TSA = "targeted_social_assistance"
GROUND_EMERGENCY = "emergency"
GROUND_MILITARY = "military_service"
VULNERABLE_PREFIX = "vulnerable:"


@dataclass(frozen=True)
class Mandatory:
    """Whether mandatory approval applies and on which grounds (every condition found to hold, in order)."""

    applies: bool
    grounds: tuple[str, ...]
    outcome: RuleOutcome


def request_grounds(requested: PlanParams | None, ruleset: RuleSet) -> tuple[RequestGround, ...]:
    """LMF Art. 9-2 p.3 part 2: which of the set's request grounds the request contains.

    A payment cut counts only where the set has it (from 2025-09-01) and only at ≥ the set's minimum (50%).
    """
    if requested is None:
        return ()
    found: list[RequestGround] = []
    cut_min = ruleset.payment_cut_min_pct
    if (
        "payment_cut" in ruleset.mandatory_request_grounds
        and cut_min is not None
        and requested.payment_cut_pct is not None
        and requested.payment_cut_pct >= cut_min
    ):
        found.append("payment_cut")
    if (
        "deferral" in ruleset.mandatory_request_grounds
        and requested.deferral_months is not None
        and requested.deferral_months > 0
    ):
        found.append("deferral")
    return tuple(found)


def mandatory(
    requested: PlanParams | None,
    borrower: BorrowerFlags,
    income_drop_passed: bool,
    ruleset: RuleSet,
    received_on: date | None = None,
) -> Mandatory:
    """LMF Art. 9-2 p.3; policy p.74: applies when the request includes a ≥50% cut or a deferral, AND the borrower is
    (vulnerable AND (income drop passes OR АСП)) OR affected by a declared state of emergency.

    With ``received_on``, a vulnerable category counts only if it was in Housing Law Art. 68 on that day (the set's
    ``vulnerable_groups``, SPEC §8)."""
    req = request_grounds(requested, ruleset)
    grounds: list[str] = [GROUND_PAYMENT_CUT if g == "payment_cut" else GROUND_DEFERRAL for g in req]
    categories = (
        borrower.vulnerable_categories
        if received_on is None
        else categories_in_force(borrower.vulnerable_categories, ruleset, received_on)
    )
    vulnerable = bool(categories)
    grounds += [VULNERABLE_PREFIX + c for c in categories]
    if income_drop_passed:
        grounds.append(GROUND_INCOME_DROP)
    if borrower.targeted_social_assistance:
        grounds.append(GROUND_TSA)
    if borrower.emergency_affected:
        grounds.append(GROUND_EMERGENCY)
    hardship = income_drop_passed or borrower.targeted_social_assistance
    borrower_ok = (vulnerable and hardship) or borrower.emergency_affected
    request_ok = bool(req)
    applies = request_ok and borrower_ok
    if applies:
        key = "R-MANDATORY.passed"
    elif not request_ok and not borrower_ok:
        key = "R-MANDATORY.failed_both"
    elif not request_ok:
        key = "R-MANDATORY.failed_request"
    elif vulnerable:
        key = "R-MANDATORY.failed_no_hardship"
    else:
        key = "R-MANDATORY.failed_borrower"
    outcome = rule_outcome(
        R_MANDATORY,
        applies,
        {
            "grounds": tuple(grounds),
            "request_grounds": tuple(ruleset.mandatory_request_grounds),
            "min_months": ruleset.mandatory_min_months,
            "fee_free": ruleset.mandatory_fee_free,
            "payment_cut_min_pct": ruleset.payment_cut_min_pct,
            "request_ok": request_ok,
            "borrower_ok": borrower_ok,
        },
        key=key,
    )
    return Mandatory(applies=applies, grounds=tuple(grounds), outcome=outcome)


def mandatory_plan(plan_params: PlanParams, ruleset: RuleSet, *, fees: Decimal = Decimal("0.00")) -> RuleOutcome:
    """LMF Art. 9-2 p.3; ARDFM Res. 49/2025: where mandatory approval applies, the plan grants a deferral of at least
    the set's minimum (3 months) or the statutory ≥50% payment cut, and (from 2025-09-01) charges no fees."""
    months = plan_params.deferral_months or 0
    cut = plan_params.payment_cut_pct
    cut_min = ruleset.payment_cut_min_pct
    deferral_ok = "deferral" in ruleset.mandatory_request_grounds and months >= ruleset.mandatory_min_months
    cut_ok = (
        "payment_cut" in ruleset.mandatory_request_grounds
        and cut is not None
        and cut_min is not None
        and cut >= cut_min
    )
    if 0 < months < ruleset.mandatory_min_months:
        key = "R-MANDATORY.plan_short_deferral"
    elif ruleset.mandatory_fee_free and fees > 0:
        key = "R-MANDATORY.plan_fees"
    elif not (deferral_ok or cut_ok):
        key = "R-MANDATORY.plan_not_honoured"
    else:
        key = "R-MANDATORY.plan_ok"
    passed = key == "R-MANDATORY.plan_ok"
    return rule_outcome(
        R_MANDATORY,
        passed,
        {
            "deferral_months": months,
            "min_months": ruleset.mandatory_min_months,
            "request_grounds": tuple(ruleset.mandatory_request_grounds),
            "payment_cut_pct": cut,
            "payment_cut_min_pct": cut_min,
            "fees": fees,
            "fee_free": ruleset.mandatory_fee_free,
        },
        key=key,
    )


def granted_request(requested: PlanParams, ruleset: RuleSet) -> tuple[PlanParams, RuleOutcome | None]:
    """LMF Art. 9-2 p.3 part 2 ("не менее трёх месяцев"); SPEC §8 "Mandatory cases": where mandatory approval
    applies, a requested deferral shorter than the set's minimum is granted for the minimum. Returns the plan the
    lender agrees to and, when it was lengthened, the outcome whose text tells the borrower why."""
    months = requested.deferral_months or 0
    minimum = ruleset.mandatory_min_months
    if not 0 < months < minimum:
        return requested, None
    granted = dataclasses.replace(requested, deferral_months=minimum)
    return granted, rule_outcome(
        R_MANDATORY,
        True,
        {"requested_months": months, "min_months": minimum},
        key="R-MANDATORY.granted_minimum",
    )
