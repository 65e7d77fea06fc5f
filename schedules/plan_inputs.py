"""The scalar engine's input checks: a ``LoanSnapshot`` checked and converted to tiyn and rate_ppm (SPEC §1).

A failed check raises ``PlanInputError`` carrying its ``Violation`` (ids and limits: ``schedules/limits.py``);
amounts go through ``schedules.money``'s one converter and are never rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from schedules.limits import (
    E_INPUT_INVALID,
    E_INPUT_OUT_OF_RANGE,
    E_PAYMENT_DAY_INVALID,
    E_RATE_NEGATIVE,
    MAX_MONTHS,
    MAX_RATE_PPM,
    MAX_TIYN,
)
from schedules.money import to_ppm, to_tiyn
from schedules.result import Violation
from schedules.terms import DAY_COUNTS, METHODS, DayCount, LoanSnapshot, Method


class PlanInputError(ValueError):
    """An input the engine cannot use; turned into an ``E-INPUT-…`` violation."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.violation = Violation(rule, message)


def amount_tiyn(x: Decimal, what: str) -> int:
    """A non-negative amount in tenge → tiyn within the limit; raises ``PlanInputError`` naming ``what``."""
    try:
        v = to_tiyn(x)
    except (ValueError, InvalidOperation, TypeError):
        raise PlanInputError(
            E_INPUT_INVALID, f"{what} ({x}) must be an amount in tenge with at most two decimals."
        ) from None
    return _within(v, MAX_TIYN, E_INPUT_INVALID, f"{what} ({x})", "200,000,000.00 KZT")


def rate_ppm(rate_pct: Decimal, what: str = "The interest rate") -> int:
    """Annual percent with at most 4 decimals → an int in 10^-4 percent (``36.5 → 365000``)."""
    try:
        pct = Decimal(rate_pct)
    except (InvalidOperation, TypeError):
        pct = Decimal("NaN")  # not a number: rejected below like a sixth decimal
    try:
        v = to_ppm(pct)
    except (ValueError, InvalidOperation):
        raise PlanInputError(
            E_INPUT_INVALID, f"{what} ({rate_pct}%) must be a percentage with at most 4 decimals."
        ) from None
    return _within(v, MAX_RATE_PPM, E_RATE_NEGATIVE, f"{what} ({rate_pct}%)", "200%")


def _within(v: int, limit: int, negative: str, named: str, limit_text: str) -> int:
    """``v`` when ``0 ≤ v ≤ limit``; else ``negative`` (below 0) or ``E-INPUT-OUT-OF-RANGE``, naming the input."""
    if v < 0:
        raise PlanInputError(negative, f"{named} must not be negative.")
    if v > limit:
        raise PlanInputError(E_INPUT_OUT_OF_RANGE, f"{named} exceeds the engine's limit of {limit_text}.")
    return v


@dataclass(frozen=True, slots=True)
class Loan:
    """A ``LoanSnapshot`` checked and converted to tiyn and rate_ppm."""

    overdue_principal: int
    overdue_interest: int
    penalties: int
    outstanding_principal: int
    principal: int
    rate_ppm: int
    term_months: int
    remaining_term_months: int
    scheduled_payment: int
    method: Method
    day_count: DayCount
    payment_day: int
    collateral_value: int | None
    accrued_interest: int = 0
    as_of: date | None = None
    overdue_since: date | None = None
    agency_since: date | None = None


def check_day(day: int, what: str) -> None:
    """A payment day from 1 to 31; raises ``PlanInputError`` naming ``what``."""
    if not isinstance(day, int) or not 1 <= day <= 31:
        raise PlanInputError(E_PAYMENT_DAY_INVALID, f"{what} ({day}) must be a day of the month from 1 to 31.")


def prepare_loan(loan: LoanSnapshot) -> Loan:
    """Check a snapshot and convert it; raises ``PlanInputError``."""
    if loan.method not in METHODS:
        raise PlanInputError(E_INPUT_INVALID, f"Unknown repayment method {loan.method!r}.")
    if loan.day_count not in DAY_COUNTS:
        raise PlanInputError(E_INPUT_INVALID, f"Unknown day count {loan.day_count!r}.")
    check_day(loan.payment_day, "The loan's payment day")
    for months, what in ((loan.term_months, "term"), (loan.remaining_term_months, "remaining term")):
        if not 0 <= months <= MAX_MONTHS:
            raise PlanInputError(E_INPUT_OUT_OF_RANGE, f"The loan's {what} ({months} months) is out of range.")
    out = Loan(
        overdue_principal=amount_tiyn(loan.overdue_principal, "The overdue principal"),
        overdue_interest=amount_tiyn(loan.overdue_interest, "The overdue interest"),
        penalties=amount_tiyn(loan.penalties, "The penalties"),
        outstanding_principal=amount_tiyn(loan.outstanding_principal, "The outstanding principal"),
        principal=amount_tiyn(loan.principal, "The issued principal"),
        rate_ppm=rate_ppm(loan.annual_rate_pct, "The loan's rate"),
        term_months=loan.term_months,
        remaining_term_months=loan.remaining_term_months,
        scheduled_payment=amount_tiyn(loan.scheduled_payment, "The scheduled payment"),
        method=loan.method,
        day_count=loan.day_count,
        payment_day=loan.payment_day,
        collateral_value=None
        if loan.collateral_value is None
        else amount_tiyn(loan.collateral_value, "The collateral value"),
        accrued_interest=amount_tiyn(loan.accrued_interest, "The accrued interest"),
        as_of=loan.as_of,
        overdue_since=loan.overdue_since,
        agency_since=loan.with_collection_agency_since,
    )
    debt = out.overdue_principal + out.overdue_interest + out.penalties + out.outstanding_principal
    if debt + out.accrued_interest > MAX_TIYN:
        raise PlanInputError(E_INPUT_OUT_OF_RANGE, "The total debt exceeds the engine's limit of 200,000,000.00 KZT.")
    return out
