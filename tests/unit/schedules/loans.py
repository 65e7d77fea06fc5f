"""A small loan a person can follow with a calculator, and a one-call plan builder."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from schedules.plan import build_plan
from schedules.result import PlanResult
from schedules.terms import LoanSnapshot, PlanParams

START = date(2024, 1, 15)
TWELVE = Decimal("12")

# 1 200.00 KZT at 12 % (r = 1 % a month), 2 instalments on the 15th, issued (and started) on 2024-01-15.
# Level payment = 1200·0.01/(1 − 1.01^−2) = 609.0149… → 609.01.
BASE_LOAN = LoanSnapshot(
    principal=Decimal("1200.00"),
    annual_rate_pct=Decimal("12"),
    term_months=2,
    method="annuity",
    day_count="30E/360",
    payment_day=15,
    issued_on=START,
    as_of=START,
    outstanding_principal=Decimal("1200.00"),
    overdue_principal=Decimal("0.00"),
    overdue_interest=Decimal("0.00"),
    penalties=Decimal("0.00"),
    remaining_term_months=2,
    scheduled_payment=Decimal("609.01"),
    next_payment_on=date(2024, 2, 15),
)


def loan(**changes: Any) -> LoanSnapshot:
    """``BASE_LOAN`` with some fields changed."""
    return replace(BASE_LOAN, **changes)


def plan(
    snapshot: LoanSnapshot | None = None,
    params: PlanParams | None = None,
    *,
    start_on: date = START,
    max_term_months: int = 60,
    discount_rate_pct: Decimal = TWELVE,
) -> PlanResult:
    """``build_plan`` with the defaults of these tests."""
    return build_plan(
        snapshot or BASE_LOAN,
        params or PlanParams(),
        start_on=start_on,
        max_term_months=max_term_months,
        discount_rate_pct=discount_rate_pct,
    )


def column(result: PlanResult, name: str) -> list[str]:
    """One column of the schedule as strings, for compact comparisons."""
    return [str(getattr(line, name)) for line in result.schedule]
