"""The scalar engine's debt split: the buckets on ``start_on``, forgiveness and settlement (SPEC §8).

Defined in ``schedules/plan.py``'s docstring, "Debt split, forgiveness, settlement": forgiveness of ``op`` /
``oi`` / ``pen``, then the settlement value in the statutory order, then ``B = op + cp`` and ``A = oi + pen + ai``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from schedules.accrual import StartBuckets, start_buckets
from schedules.limits import (
    E_FORGIVE_EXCEEDS,
    E_FORGIVE_NEGATIVE,
    E_INPUT_INVALID,
    E_SETTLEMENT_EXCEEDS_COLLATERAL,
    E_SETTLEMENT_EXCEEDS_DEBT,
    E_SETTLEMENT_NEGATIVE,
)
from schedules.money import from_tiyn, to_tiyn
from schedules.plan_inputs import Loan
from schedules.result import Violation
from schedules.terms import ALL, PlanParams


def _forgiven(amount: Decimal | str | None, bucket: int, what: str, out: list[Violation]) -> int:
    if amount is None:
        return 0
    if amount == ALL:
        return bucket
    try:
        v = to_tiyn(Decimal(amount))
    except (ValueError, InvalidOperation, TypeError):
        out.append(Violation(E_INPUT_INVALID, f'The {what} to forgive ({amount}) must be an amount or "all".'))
        return 0
    if v < 0:
        out.append(Violation(E_FORGIVE_NEGATIVE, f"The {what} to forgive ({amount}) must not be negative."))
        return 0
    if v > bucket:
        out.append(
            Violation(
                E_FORGIVE_EXCEEDS,
                f"Cannot forgive {from_tiyn(v)} KZT of {what}: the loan has only {from_tiyn(bucket)} KZT of it.",
            )
        )
        return 0
    return v


@dataclass(slots=True)
class Debt:
    """The buckets left after forgiveness and settlement (tiyn), and what was forgiven, settled and excluded."""

    op: int
    oi: int
    pen: int
    cp: int
    forgiven: int
    settled: int
    ai: int = 0
    """Accrued interest to ``start_on`` (``schedules/accrual.py``): arrears bucket, after penalties."""
    excess: int = 0


def start_of(loan: Loan, start_on: date, penalty_excess: int = 0) -> StartBuckets:
    """The buckets on ``start_on`` (``schedules/accrual.py``): accrued interest, the law's exclusions."""
    return start_buckets(
        base=loan.overdue_principal + loan.outstanding_principal,
        overdue_interest=loan.overdue_interest,
        penalties=loan.penalties,
        accrued_interest=loan.accrued_interest,
        rate_ppm=loan.rate_ppm,
        payment_day=loan.payment_day,
        day_count=loan.day_count,
        as_of=loan.as_of or start_on,
        start_on=start_on,
        overdue_since=loan.overdue_since,
        agency_since=loan.agency_since,
        penalty_excess=penalty_excess,
    )


def split_debt(loan: Loan, params: PlanParams, hard: list[Violation], sb: StartBuckets | None = None) -> Debt:
    """Forgiveness, then settlement, on the loan's buckets (``sb``: on ``start_on``); violations go to ``hard``."""
    f = params.forgive
    op, oi, pen, cp = loan.overdue_principal, loan.overdue_interest, loan.penalties, loan.outstanding_principal
    ai = excess = 0
    lawful_oi, lawful_pen = oi, pen
    if sb is not None:
        lawful_oi, lawful_pen, ai, excess = sb.overdue_interest, sb.penalties, sb.accrued, sb.penalty_excess
    forgiven = 0
    if f is not None:
        # Amounts are checked against the snapshot's buckets and forgive what the law leaves of them.
        a = _forgiven(f.overdue_principal, op, "overdue principal", hard)
        b = min(_forgiven(f.overdue_interest, oi, "overdue interest", hard), lawful_oi)
        c = min(_forgiven(f.penalties, pen, "penalties", hard), lawful_pen)
        op, oi, pen = op - a, lawful_oi - b, lawful_pen - c
        forgiven = a + b + c
    else:
        oi, pen = lawful_oi, lawful_pen
    settled = 0
    if params.settlement_value is not None:
        try:
            v = to_tiyn(Decimal(params.settlement_value))
        except (ValueError, InvalidOperation, TypeError):
            hard.append(Violation(E_INPUT_INVALID, "The settlement value must be an amount in tenge."))
            return Debt(op, oi, pen, cp, forgiven, 0, ai, excess)
        debt = op + oi + pen + cp + ai
        if v < 0:
            hard.append(Violation(E_SETTLEMENT_NEGATIVE, "The settlement value must not be negative."))
        elif v > debt:
            hard.append(
                Violation(
                    E_SETTLEMENT_EXCEEDS_DEBT,
                    f"The settlement value {from_tiyn(v)} KZT exceeds the debt of {from_tiyn(debt)} KZT.",
                )
            )
        elif loan.collateral_value is not None and v > loan.collateral_value:
            hard.append(
                Violation(
                    E_SETTLEMENT_EXCEEDS_COLLATERAL,
                    f"The settlement value {from_tiyn(v)} KZT exceeds the collateral's value of "
                    f"{from_tiyn(loan.collateral_value)} KZT.",
                )
            )
        else:
            settled = v
            left = v
            take = min(left, op)
            op, left = op - take, left - take
            take = min(left, oi)
            oi, left = oi - take, left - take
            take = min(left, pen)
            pen, left = pen - take, left - take
            take = min(left, cp)
            cp, left = cp - take, left - take
            ai -= left
            if params.forgive_shortfall:
                forgiven += op + oi + pen + cp + ai
                op = oi = pen = cp = ai = 0
    return Debt(op, oi, pen, cp, forgiven, settled, ai, excess)
