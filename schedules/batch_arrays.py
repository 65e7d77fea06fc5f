"""Loans and plans as the batch engine's structure-of-arrays input (SPEC §2).

:func:`to_arrays` turns ``LoanSnapshot`` / ``PlanParams`` into :class:`LoanArrays` + :class:`PlanArrays`: money
in tiyn, rates in ppm, dates in epoch days, methods and deferral kinds as codes, with sentinels for omitted plan
fields. Conversions use ``schedules.money`` (``ValueError`` on an amount that is not whole tiyn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from schedules.accrual import StartBuckets, start_buckets
from schedules.batch_calendar import DAY_COUNT_CODES
from schedules.money import to_ppm, to_tiyn
from schedules.terms import ALL, LoanSnapshot, PlanParams

I64 = npt.NDArray[np.int64]
"""An int64 array (the batch modules' one name for it)."""
Bool = npt.NDArray[np.bool_]

METHOD_CODES: dict[str, int] = {"annuity": 0, "differentiated": 1, "principal_first": 2}
ANNUITY, DIFFERENTIATED, PRINCIPAL_FIRST = 0, 1, 2
DEFER_PRINCIPAL, DEFER_PRINCIPAL_AND_INTEREST, DEFER_INTEREST_FREE = 0, 1, 2
DEFERRAL_CODES: dict[str, int] = {
    "principal": DEFER_PRINCIPAL,
    "principal_and_interest": DEFER_PRINCIPAL_AND_INTEREST,
    "interest_free": DEFER_INTEREST_FREE,
}
OMITTED = -(2**63)
"""Plan-array sentinel for a ``None`` parameter (keep the loan's value)."""
FORGIVE_ALL = -(2**63) + 1
"""Forgiveness sentinel: the whole bucket (``"all"``)."""
NO_COLLATERAL = -(2**63)
"""``LoanArrays.collateral_value`` when the snapshot has none."""
EPOCH = date(1970, 1, 1)


def _i64(values: Sequence[int] | I64) -> I64:
    return np.ascontiguousarray(values, dtype=np.int64)


@dataclass(frozen=True)
class LoanArrays:
    """Loans as parallel int64 arrays.

    Money in tiyn, rates in percent × 10^4 (ppm of the annual fraction), dates in days since
    1970-01-01, method / day count as :data:`METHOD_CODES` / ``DAY_COUNT_CODES``.
    """

    principal: I64
    term_months: I64
    outstanding_principal: I64
    overdue_principal: I64
    overdue_interest: I64
    penalties: I64
    rate_ppm: I64
    remaining_term: I64
    payment_day: I64
    method: I64
    day_count: I64
    scheduled_payment: I64
    collateral_value: I64
    start_on: I64
    lawful_overdue_interest: I64 | None = None
    """SPEC §8 / LMF 9-2 p.8: the buckets on ``start_on`` (``schedules/accrual.py``); ``None``: the snapshot's."""
    lawful_penalties: I64 | None = None
    accrued: I64 | None = None
    """Accrued interest to ``start_on`` (arrears bucket); ``None``: none."""
    penalty_excess: I64 | None = None

    @property
    def size(self) -> int:
        """Number of loans."""
        return int(self.outstanding_principal.shape[0])


@dataclass(frozen=True)
class PlanArrays:
    """Plan parameters as int64 arrays, each of shape ``()`` (one plan for all) or ``(n,)``.

    ``OMITTED`` stands for a ``None`` field, ``FORGIVE_ALL`` for ``"all"``; ``deferral_months``
    and the forgiven amounts use 0 for ``None``; ``deferral_of`` and ``method`` are codes.
    """

    new_rate_ppm: I64
    extra_months: I64
    payment_cut_ppm: I64
    deferral_months: I64
    deferral_of: I64
    method: I64
    payment_day: I64
    forgive_overdue_principal: I64
    forgive_overdue_interest: I64
    forgive_penalties: I64
    settlement_value: I64
    forgive_shortfall: I64


def _forgive(value: Decimal | str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return to_tiyn(value)
    if value == ALL:
        return FORGIVE_ALL
    raise ValueError(f"unknown forgiveness amount {value!r}")


def _plan_row(p: PlanParams) -> tuple[int, ...]:
    f = p.forgive
    return (
        OMITTED if p.new_rate_pct is None else to_ppm(p.new_rate_pct),
        OMITTED if p.extra_months is None else p.extra_months,
        OMITTED if p.payment_cut_pct is None else to_ppm(p.payment_cut_pct),
        p.deferral_months or 0,
        DEFERRAL_CODES.get(p.deferral_of or "principal", DEFER_PRINCIPAL),
        OMITTED if p.method is None else METHOD_CODES[p.method],
        OMITTED if p.payment_day is None else p.payment_day,
        _forgive(f.overdue_principal if f else None),
        _forgive(f.overdue_interest if f else None),
        _forgive(f.penalties if f else None),
        OMITTED if p.settlement_value is None else to_tiyn(p.settlement_value),
        int(p.forgive_shortfall),
    )


def plan_arrays(params: PlanParams | Sequence[PlanParams]) -> PlanArrays:
    """One ``PlanParams`` (0-d arrays, applied to every loan) or one per loan, as :class:`PlanArrays`."""
    if isinstance(params, PlanParams):
        cols: list[I64] = [np.array(v, dtype=np.int64) for v in _plan_row(params)]
    else:
        rows = np.array([_plan_row(p) for p in params], dtype=np.int64).reshape(len(params), 12)
        cols = [np.ascontiguousarray(rows[:, j]) for j in range(12)]
    return PlanArrays(*cols)


def _start(x: LoanSnapshot, start_on: date, excess: Decimal) -> StartBuckets:
    return start_buckets(
        base=to_tiyn(x.overdue_principal) + to_tiyn(x.outstanding_principal),
        overdue_interest=to_tiyn(x.overdue_interest),
        penalties=to_tiyn(x.penalties),
        accrued_interest=to_tiyn(x.accrued_interest),
        rate_ppm=to_ppm(x.annual_rate_pct),
        payment_day=x.payment_day,
        day_count=x.day_count,
        as_of=x.as_of,
        start_on=start_on,
        overdue_since=x.overdue_since,
        agency_since=x.with_collection_agency_since,
        penalty_excess=to_tiyn(excess),
    )


def loan_arrays(
    loans: Sequence[LoanSnapshot],
    start_on: date | Sequence[date],
    penalty_excess: Sequence[Decimal] | None = None,
) -> LoanArrays:
    """Loan snapshots and the plans' start date (one for all, or one per loan) as :class:`LoanArrays`.

    ``penalty_excess`` (one per loan): penalties above the lawful cap, as ``build_plan``'s (SPEC §8).
    """
    starts = [start_on] * len(loans) if isinstance(start_on, date) else list(start_on)
    if len(starts) != len(loans):
        raise ValueError("one start_on per loan")
    excess = [Decimal(0)] * len(loans) if penalty_excess is None else list(penalty_excess)
    if len(excess) != len(loans):
        raise ValueError("one penalty_excess per loan")
    sbs = [_start(x, s, e) for x, s, e in zip(loans, starts, excess, strict=True)]
    return LoanArrays(
        principal=_i64([to_tiyn(x.principal) for x in loans]),
        term_months=_i64([x.term_months for x in loans]),
        outstanding_principal=_i64([to_tiyn(x.outstanding_principal) for x in loans]),
        overdue_principal=_i64([to_tiyn(x.overdue_principal) for x in loans]),
        overdue_interest=_i64([to_tiyn(x.overdue_interest) for x in loans]),
        penalties=_i64([to_tiyn(x.penalties) for x in loans]),
        rate_ppm=_i64([to_ppm(x.annual_rate_pct) for x in loans]),
        remaining_term=_i64([x.remaining_term_months for x in loans]),
        payment_day=_i64([x.payment_day for x in loans]),
        method=_i64([METHOD_CODES[x.method] for x in loans]),
        day_count=_i64([DAY_COUNT_CODES[x.day_count] for x in loans]),
        scheduled_payment=_i64([to_tiyn(x.scheduled_payment) for x in loans]),
        collateral_value=_i64(
            [NO_COLLATERAL if x.collateral_value is None else to_tiyn(x.collateral_value) for x in loans]
        ),
        start_on=_i64([(s - EPOCH).days for s in starts]),
        lawful_overdue_interest=_i64([b.overdue_interest for b in sbs]),
        lawful_penalties=_i64([b.penalties for b in sbs]),
        accrued=_i64([b.accrued for b in sbs]),
        penalty_excess=_i64([b.penalty_excess for b in sbs]),
    )


def to_arrays(
    loans: Sequence[LoanSnapshot],
    params: PlanParams | Sequence[PlanParams],
    start_on: date | Sequence[date],
    penalty_excess: Sequence[Decimal] | None = None,
) -> tuple[LoanArrays, PlanArrays]:
    """Snapshots + one plan for all (or one per loan) + start date(s) → the batch engine's arrays."""
    if not isinstance(params, PlanParams) and len(params) != len(loans):
        raise ValueError("one PlanParams per loan")
    return loan_arrays(loans, start_on, penalty_excess), plan_arrays(params)
