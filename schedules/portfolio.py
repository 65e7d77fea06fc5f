"""One plan on a block of loans with the batch engine, and the lender's NPV and concession of each (SPEC §2, §5).

The batch engine (``schedules/batch.py``) gives the schedules; the lender NPV and the concession are computed here
from them exactly as ``schedules/npv.py`` does for one schedule (float64 in line order, then half-up to the tiyn),
so every figure equals the scalar ``build_plan``'s. The limits come in as plain numbers (the maximum term, the
discount rate, :class:`~schedules.batch_start.PenaltyTerms`), never as a rule set. ``restructure/portfolio.py``
feeds the blocks and sums the figures.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from schedules.batch import EPOCH, NO_COLLATERAL, OMITTED, BlockResult, LoanArrays, PlanArrays, iter_blocks, plan_arrays
from schedules.batch_calendar import DC_30E_360, first_due
from schedules.batch_result import SUMMARY_FIELDS, BatchSummary
from schedules.batch_start import PenaltyTerms, penalty_excess, start_buckets
from schedules.columns import LoanColumns
from schedules.npv import month_offsets
from schedules.terms import PlanParams

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]



class Discounting:
    """Lender NPV of batch schedules, exactly as ``schedules.npv.npv_tiyn`` computes it for one schedule.

    ``v^(−τ_k)`` is evaluated by Python's float power per (first-period 30E days, line) and cached, and the sum runs
    in float64 in line order from ``t0``, so the result is the scalar's to the tiyn.
    """

    def __init__(self, discount_rate_pct: Decimal) -> None:
        self.v = 1.0 + float(discount_rate_pct) / 1200.0
        self._rows: dict[int, list[float]] = {}

    def _row(self, first30: int, count: int) -> list[float]:
        row = self._rows.get(first30, [])
        if len(row) < count:
            row = [self.v**-tau for tau in month_offsets(first30, count)]
            self._rows[first30] = row
        return row

    def npv(self, t0: I64, payments: I64, first30: I64) -> I64:
        """``t0`` now plus each loan's ``payments`` row (zero-padded) on its due dates, in tiyn."""
        total: F64 = t0.astype(np.float64)
        lines = payments.shape[1] if payments.ndim == 2 else 0
        if lines and t0.size:
            keys = np.unique(first30)
            table = np.array([self._row(int(k), lines)[:lines] for k in keys], dtype=np.float64)
            factors = table[np.searchsorted(keys, first30)]
            for k in range(lines):
                total += payments[:, k] * factors[:, k]
        return np.floor(total + 0.5).astype(np.int64)


def first30(start: I64, payment_day: I64) -> I64:
    """30E days from ``start_on`` to the first due date on ``payment_day`` (the NPV's first month fraction)."""
    _, days = first_due(start, payment_day, np.full(start.shape, DC_30E_360, dtype=np.int64))
    return days


def one_block(loans: LoanArrays, plan: PlanArrays, max_term_months: int) -> BlockResult:
    """The whole of ``loans`` as one block of the engine, with the schedules."""
    blocks = iter_blocks(loans, plan, max_term_months=max_term_months, block_size=loans.size, with_schedule=True)
    return next(iter(blocks))


@dataclass(frozen=True)
class PlanFigures(BatchSummary):
    """Per-loan figures of one block under the plan, in tiyn: the engine's summaries (copies: the engine reuses its
    buffers), each loan's relief and the lender's concession."""

    relief: I64
    concession: I64

    def feasible_totals(self) -> tuple[int, int, int]:
        """(feasible loans, their relief, their concession), in tiyn."""
        feasible = self.violations == 0
        return int(feasible.sum()), int(self.relief[feasible].sum()), int(self.concession[feasible].sum())


def batch_figures(
    loans: LoanArrays, plan: PlanParams, *, max_term_months: int, discounting: Discounting
) -> PlanFigures:
    """The plan on every loan of ``loans`` with the batch engine, and its relief and concession."""
    arrays = plan_arrays(plan)
    got = one_block(loans, arrays, max_term_months)
    assert got.schedule_payment is not None  # noqa: S101 — asked for with_schedule
    pday = loans.payment_day if int(arrays.payment_day) == OMITTED else np.full_like(loans.payment_day,
                                                                                       int(arrays.payment_day))
    plan_npv = discounting.npv(got.settled.copy(), got.schedule_payment, first30(loans.start_on, pday))
    figures = {name: getattr(got, name).copy() for name in SUMMARY_FIELDS}
    return PlanFigures(
        **figures,
        relief=loans.scheduled_payment - figures["max_regular_payment"],
        concession=_contract_npv(loans, max_term_months, discounting) - plan_npv,
    )


def _contract_npv(loans: LoanArrays, max_term_months: int, discounting: Discounting) -> I64:
    """The contract (SPEC §5): overdue paid now + the remaining contractual schedule, i.e. the baseline of the loan
    with its overdue buckets removed (contract-preserving levels); no remaining term: all due now."""
    zero = np.zeros_like(loans.overdue_principal)
    contract_loans = dataclasses.replace(
        loans,
        overdue_principal=zero,
        overdue_interest=zero,
        penalties=zero,
        lawful_overdue_interest=None,
        lawful_penalties=None,
        accrued=None,
        penalty_excess=None,
    )
    contract = one_block(contract_loans, plan_arrays(PlanParams()), max_term_months)
    assert contract.schedule_payment is not None  # noqa: S101
    t0 = loans.overdue_principal + loans.overdue_interest + loans.penalties
    npv = discounting.npv(t0, contract.schedule_payment, first30(loans.start_on, loans.payment_day))
    cp = loans.outstanding_principal
    return np.where((cp > 0) & (loans.remaining_term < 1), t0 + cp, npv)


def loan_arrays_from_columns(cols: LoanColumns, start_on: date, terms: PenaltyTerms) -> LoanArrays:
    """The engine's arrays for a block of loaded columns: what ``schedules.batch.loan_arrays`` gives from snapshots,
    to the tiyn, with the start buckets and penalty excess computed on whole arrays (``schedules/batch_start.py``)."""
    n = cols.size
    start = np.full(n, (start_on - EPOCH).days, dtype=np.int64)
    excess = penalty_excess(
        **cols.pick(
            "penalties", "overdue_principal", "overdue_interest", "principal", "collateral_value", "secured_by",
            "issued_on", "as_of", "overdue_since",
        ),
        no_collateral=NO_COLLATERAL,
        terms=terms,
    )
    starts = start_buckets(
        **cols.pick(
            "overdue_interest", "penalties", "accrued_interest", "rate_ppm", "payment_day", "day_count", "as_of",
            "overdue_since", "agency_since",
        ),
        base=cols["overdue_principal"] + cols["outstanding_principal"],
        start_on=start,
        penalty_excess=excess,
    )
    same = ("principal", "term_months", "outstanding_principal", "overdue_principal", "overdue_interest",
            "penalties", "rate_ppm", "remaining_term", "payment_day", "method", "day_count", "scheduled_payment",
            "collateral_value")
    return LoanArrays(
        **cols.pick(*same),
        start_on=start,
        lawful_overdue_interest=starts.overdue_interest,
        lawful_penalties=starts.penalties,
        accrued=starts.accrued,
        penalty_excess=starts.penalty_excess,
    )
