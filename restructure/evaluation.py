"""The rules and the engine on a stored application: its assessment, and a plan built on the loan's snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from restructure.assessing import assessed
from restructure.errors import InvalidInput
from restructure.orm import Borrower, Loan
from restructure.snapshots import borrower_flags, loan_snapshot
from rules.assessment import Assessment, check_assessed
from rules.penalty import penalty_excess
from rules.ruleset import ruleset_by_id
from schedules.plan import PlanInputError, build_plan
from schedules.result import PlanResult
from schedules.terms import LoanSnapshot, PlanParams


@dataclass(frozen=True)
class Case:
    loan: LoanSnapshot
    assessment: Assessment


def case_of(
    loan: Loan, borrower: Borrower, incomes: Mapping[date, Any], received_on: date, requested: PlanParams | None
) -> Case:
    snapshot = loan_snapshot(loan)
    return Case(loan=snapshot, assessment=assessed(snapshot, borrower_flags(borrower), incomes, received_on, requested))


def plan_of(case: Case, params: PlanParams, start_on: date, *, lang: str) -> PlanResult:
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
        lang=lang,  # type: ignore[arg-type]
    )
