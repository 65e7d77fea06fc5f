"""The loan's contract from ``start_on``: its level amount, remaining schedule and NPV (SPEC §5; ``schedules/plan.py``,
"Metrics and totals": the contract is the plan algorithm on the snapshot with no changes and no arrears).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from schedules.amortise import amortise
from schedules.calendar import year_days
from schedules.npv import discount_factors, npv_of
from schedules.plan_calendar import plan_calendar
from schedules.plan_inputs import Loan, prepare_loan
from schedules.plan_result import schedule_lines
from schedules.result import ScheduleLine
from schedules.terms import LoanSnapshot


def contract_level(loan: Loan) -> int:
    """The contract's level amount: the scheduled payment, or the original differentiated principal part."""
    if loan.method == "differentiated":
        return loan.principal // loan.term_months if loan.term_months > 0 else 0
    return loan.scheduled_payment


def contract_npv(loan: Loan, start_on: date, discount_rate_pct: Decimal) -> int:
    """The contract's NPV in tiyn: the overdue amounts now plus the remaining contractual schedule."""
    t0 = loan.overdue_principal + loan.overdue_interest + loan.penalties
    n = loan.remaining_term_months
    cp = loan.outstanding_principal
    if cp == 0:
        return t0
    if n < 1:
        return t0 + cp
    _, days, first30, _ = plan_calendar(start_on, loan.payment_day, n, loan.day_count)
    s = amortise(
        cp, 0, loan.rate_ppm, year_days(loan.day_count), list(days), 0, "principal", loan.method, contract_level(loan)
    )
    return npv_of(t0, s.payment, discount_factors(first30, len(s.payment), discount_rate_pct))


def contract_schedule(loan: LoanSnapshot, *, start_on: date) -> tuple[ScheduleLine, ...]:
    """The remaining contractual schedule from ``start_on``: outstanding principal, contract terms, no arrears.

    (Overdue amounts are due now and are not part of it.)
    """
    ln = prepare_loan(loan)
    n = ln.remaining_term_months
    if ln.outstanding_principal == 0 or n < 1:
        return ()
    dues, days, _, _ = plan_calendar(start_on, ln.payment_day, n, ln.day_count)
    s = amortise(
        ln.outstanding_principal,
        0,
        ln.rate_ppm,
        year_days(ln.day_count),
        list(days),
        0,
        "principal",
        ln.method,
        contract_level(ln),
    )
    return schedule_lines(s, dues, {})
