"""Builders of plain inputs for the rules tests: numbers a person can check by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from rules.income import month_of, months_before
from schedules.terms import LoanSnapshot

D = Decimal


def loan(**changes: Any) -> LoanSnapshot:
    """A 60-month, 1 000 000 KZT annuity loan at 36%, 40 months left, with some arrears."""
    base = LoanSnapshot(
        principal=D("1000000.00"),
        annual_rate_pct=D("36.00"),
        term_months=60,
        method="annuity",
        day_count="30E/360",
        payment_day=10,
        issued_on=date(2024, 6, 10),
        as_of=date(2025, 10, 1),
        outstanding_principal=D("800000.00"),
        overdue_principal=D("40000.00"),
        overdue_interest=D("30000.00"),
        penalties=D("5000.00"),
        remaining_term_months=40,
        scheduled_payment=D("36152.66"),
        next_payment_on=date(2025, 10, 10),
        overdue_since=date(2025, 8, 10),
    )
    return replace(base, **changes)


def incomes(
    received_on: date, *, older: str = "100000.00", recent: str = "100000.00", months: int = 12
) -> dict[date, Decimal]:
    """``months`` months before the application month: the last two at ``recent``, the others at ``older``."""
    window = months_before(month_of(received_on), months)
    return {m: D(recent) if i >= months - 2 else D(older) for i, m in enumerate(window)}
