"""The rules and the engine on a stored application: its assessment, and a plan built on the loan's snapshot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from restructure.assessing import assessed
from restructure.errors import InvalidInput
from restructure.orm import Borrower, Loan
from restructure.snapshots import borrower_flags, loan_snapshot
from rules.assessment import Assessment, check_assessed
from rules.mandatory import granted_request
from rules.military import conscript_plan
from rules.penalty import penalty_excess
from rules.ruleset import ruleset_by_id
from schedules.plan import PlanInputError, build_plan
from schedules.result import PlanResult, Violation
from schedules.terms import LoanSnapshot, PlanParams


@dataclass(frozen=True)
class Case:
    loan: LoanSnapshot
    assessment: Assessment


def case_of(
    loan: Loan,
    borrower: Borrower,
    incomes: Mapping[date, Any],
    received_on: date,
    requested: PlanParams | None,
    *,
    military_service_until: date | None = None,
) -> Case:
    snapshot = loan_snapshot(loan)
    return Case(
        loan=snapshot,
        assessment=assessed(
            snapshot,
            borrower_flags(borrower),
            incomes,
            received_on,
            requested,
            military_service_until=military_service_until,
        ),
    )


def granted(case: Case, requested: PlanParams, start_on: date) -> PlanParams:
    """SPEC §8: what the lender's ``accept`` agrees to for a plan starting on ``start_on``.

    A conscript (LMF Art. 7 p.2 sub 11-2) gets the interest-free deferral to the service end + 60 days, counted from
    ``start_on``'s first due date; under R-MANDATORY a requested deferral shorter than the set's minimum is granted
    for the minimum (LMF Art. 9-2 p.3); otherwise the request itself."""
    ruleset = ruleset_by_id(case.assessment.rule_set.id)
    until = case.assessment.military_service_until
    if until is not None:
        try:
            return conscript_plan(start_on, case.loan.payment_day, until, ruleset)
        except OverflowError as exc:
            raise InvalidInput(
                "A date is too far in the future to compute with.", {"military_service_until": ["Out of range."]}
            ) from exc
    if case.assessment.mandatory.applies:
        return granted_request(requested, ruleset)[0]
    return requested


def violations_detail(violations: Sequence[Violation]) -> str:
    """The violations for an error's detail: each rule id, with the engine's own words where it has them (a rule's
    words are rendered at the edge, from its text key)."""
    return "; ".join(f"{v.rule}: {v.message}" if v.message else v.rule for v in violations)


def plan_of(case: Case, params: PlanParams, start_on: date) -> PlanResult:
    ruleset = ruleset_by_id(case.assessment.rule_set.id)
    try:
        built = build_plan(
            case.loan,
            params,
            start_on=start_on,
            max_term_months=ruleset.max_term_months,
            discount_rate_pct=ruleset.discount_rate_pct,
            penalty_excess=penalty_excess(case.loan, ruleset),  # SPEC §8: unlawful penalties never collected
        )
    except PlanInputError as exc:
        raise InvalidInput("The plan cannot be built.", {"plan": [str(exc)]}) from exc
    # consent: the borrower asked for it, or must accept it before it takes effect
    return check_assessed(
        built,
        case.assessment,
        loan=case.loan,
        ruleset=ruleset,
        start_on=start_on,
        consent=True,
    )
