"""The assessment of an application (API.md ``Assessment``): incomes, KDN, mandatory approval and every rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.borrower import BorrowerFlags
from rules.collection import collection_agency
from rules.income import Incomes, IncomeSummary, summarise
from rules.income_drop import income_drop_outcome
from rules.kdn import burden, kdn
from rules.mandatory import GROUND_MILITARY, Mandatory, granted_request, mandatory
from rules.military import conscript_plan, military_outcome
from rules.no_worse import no_worse
from rules.outcome import RuleOutcome
from rules.payment_cut import cut_request
from rules.penalty import penalty
from rules.plan_check import check_plan
from rules.ruleset import RuleSet, RuleSetRef, ref, ruleset_for
from schedules.result import PlanResult
from schedules.terms import LoanSnapshot, PlanParams


@dataclass(frozen=True)
class Assessment:
    """API.md ``Assessment``: ``income`` {avg2, avg6, avg12, drop_pct, drop_test_passed}, ``kdn``, ``dti_recent``,
    ``mandatory`` {applies, grounds}, ``rule_set`` {id, effective_from}, ``rules`` [outcomes].

    ``kdn`` and ``dti_recent`` use the loan's current ``scheduled_payment``. ``other_monthly_debt_payments`` is
    kept for the plan checks.
    """

    income: IncomeSummary
    kdn: Decimal | None
    dti_recent: Decimal | None
    mandatory: Mandatory
    rule_set: RuleSetRef
    rules: tuple[RuleOutcome, ...]
    received_on: date
    other_monthly_debt_payments: Decimal
    military_service_until: date | None = None
    """SPEC §8 "Conscripts": the service end date of a borrower called up (reason ``military_service``)."""
    granted: PlanParams | None = None
    """Under R-MANDATORY, what the lender agrees to: the request, a short deferral lengthened to the minimum."""


def assess(
    loan: LoanSnapshot,
    borrower: BorrowerFlags,
    incomes: Incomes,
    received_on: date,
    requested: PlanParams | None = None,
    *,
    ruleset: RuleSet | None = None,
    military_service_until: date | None = None,
) -> Assessment:
    """LMF Art. 9-2 p.2-3; NBRK Res. 215; LMF Art. 6-7: every rule that applies to an application on receipt.

    ``ruleset`` defaults to the set in force on ``received_on``. Rules: R-INCOME-DROP, R-KDN, R-MANDATORY,
    R-CUT-50 (only in sets that have it), R-NO-WORSE (on the request, which is the borrower's consent), R-PENALTY.
    Raises ``MissingIncomeMonths`` naming absent months.
    """
    rs = ruleset if ruleset is not None else ruleset_for(received_on)
    income = summarise(incomes, received_on, drop_threshold_pct=rs.income_drop_threshold_pct)
    other = borrower.other_monthly_debt_payments
    b = burden(loan.scheduled_payment, other, income)
    drop = income_drop_outcome(income, rs)
    mand = mandatory(requested, borrower, income.drop_test_passed, rs, received_on)
    start_on = max(received_on, loan.as_of)
    granted: PlanParams | None = None
    if military_service_until is not None:
        # LMF Art. 7 p.2 sub 11-2: the conscript's deferral is the only lawful plan; refusal is blocked as under
        # R-MANDATORY (its ``applies``), whatever the other grounds.
        military = military_outcome(military_service_until, start_on, loan.payment_day, rs)
        mand = Mandatory(applies=True, grounds=(*mand.grounds, GROUND_MILITARY), outcome=mand.outcome)
    outcomes: list[RuleOutcome] = [drop, kdn(loan.scheduled_payment, other, income, rs), mand.outcome]
    if military_service_until is not None:
        outcomes.append(military)
        granted = conscript_plan(start_on, loan.payment_day, military_service_until, rs)
    elif mand.applies and requested is not None:
        granted, note = granted_request(requested, rs)
        if note is not None:
            outcomes.append(note)
    cut = cut_request(requested, rs)
    if cut is not None:
        outcomes.append(cut)
    if requested is not None:
        outcomes.append(no_worse(loan, requested, consent=True))
    outcomes.append(penalty(loan, rs))
    agency = collection_agency(loan, start_on)
    if agency is not None:
        outcomes.append(agency)
    return Assessment(
        income=income,
        kdn=b.kdn,
        dti_recent=b.dti_recent,
        mandatory=mand,
        rule_set=ref(rs),
        rules=tuple(outcomes),
        received_on=received_on,
        other_monthly_debt_payments=other,
        military_service_until=military_service_until,
        granted=granted,
    )


def check_assessed(
    plan: PlanResult,
    assessment: Assessment,
    *,
    loan: LoanSnapshot,
    ruleset: RuleSet,
    start_on: date,
    consent: bool,
) -> PlanResult:
    """LMF Art. 4 p.6-7, Art. 5, Art. 7 p.3, Art. 9-2 p.2-3: ``check_plan`` at the assessment's incomes, other
    debts and mandatory-approval outcome."""
    return check_plan(
        plan,
        loan=loan,
        ruleset=ruleset,
        incomes=assessment.income,
        other_monthly_debt_payments=assessment.other_monthly_debt_payments,
        start_on=start_on,
        consent=consent,
        mandatory_applies=assessment.mandatory.applies,
        military_service_until=assessment.military_service_until,
    )
