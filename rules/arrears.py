"""R-NO-INTEREST-ON-ARREARS: overdue interest and penalties never earn interest and never join interest-bearing
principal; on mortgage-secured loans they are not capitalised at all (LMF Art. 4 p.6-7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from rules.citations import rule_outcome
from rules.ids import R_NO_INTEREST_ON_ARREARS
from rules.numbers import money
from rules.outcome import RuleOutcome
from schedules.calendar import period_days, year_days
from schedules.money import from_tiyn
from schedules.plan import prepare_loan, start_of
from schedules.result import PlanResult
from schedules.terms import DayCount, LoanSnapshot

_TIYN = Decimal("0.01")


def interest_bound(
    plan: PlanResult, rate_pct: Decimal, start_on: date, payment_day: int, day_count: DayCount
) -> Decimal:
    """The interest the schedule carries if only its interest-bearing balance earns interest (the loan's day count),
    plus a tiyn per line for rounding."""
    rate = Fraction(rate_pct) / 100
    balance = Fraction(plan.totals.principal)
    days = period_days(start_on, [line.due_on for line in plan.schedule], payment_day, day_count)
    basis = year_days(day_count)
    total = Fraction(0)
    for line, d in zip(plan.schedule, days, strict=True):
        total += balance * rate * d / basis
        balance = Fraction(line.balance)
    return money(total) + _TIYN * (len(plan.schedule) + 1)


def no_interest_on_arrears(plan: PlanResult, loan: LoanSnapshot, *, start_on: date) -> RuleOutcome:
    """LMF Art. 4 p.6-7: principal repaid never exceeds the interest-bearing debt (nothing capitalised), and what is
    paid beyond principal never exceeds the arrears bucket (with the interest accrued to ``start_on``, SPEC §8) plus
    interest on the interest-bearing balance only."""
    base_max = loan.outstanding_principal + loan.overdue_principal
    # SPEC §8: the bucket also holds the interest accrued to start_on (accrued_interest + as_of → start_on)
    accrued = from_tiyn(start_of(prepare_loan(loan), start_on).accrued)
    arrears_max = loan.overdue_interest + loan.penalties + accrued
    rate = plan.params.new_rate_pct if plan.params.new_rate_pct is not None else loan.annual_rate_pct
    payment_day = plan.params.payment_day if plan.params.payment_day is not None else loan.payment_day
    bound = interest_bound(plan, rate, start_on, payment_day, loan.day_count)
    charged = plan.totals.interest + plan.totals.arrears
    capitalised = plan.totals.principal > base_max
    interest_on_arrears = charged > arrears_max + bound
    passed = not (capitalised or interest_on_arrears)
    problems: list[str] = []
    if capitalised:
        problems.append("capitalised_mortgage" if loan.secured_by == "mortgage" else "capitalised")
    if interest_on_arrears:
        problems.append("interest_on_arrears")
    return rule_outcome(
        R_NO_INTEREST_ON_ARREARS,
        passed,
        {
            "problems": tuple(problems),
            "interest_bearing_max": base_max,
            "principal_repaid": plan.totals.principal,
            "arrears_max": arrears_max,
            "interest_and_arrears_charged": charged,
            "interest_bound": bound,
            "mortgage": loan.secured_by == "mortgage",
        },
    )
