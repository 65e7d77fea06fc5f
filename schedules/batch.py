"""The batch amortisation engine: the plan engine vectorised over many loans (SPEC §2).

Input is structure-of-arrays (:class:`LoanArrays` + :class:`PlanArrays`, built from
``LoanSnapshot`` / ``PlanParams`` by :func:`to_arrays`); :func:`iter_blocks` streams results block
by block into reused buffers, so memory stays bounded at any portfolio size; :func:`run_batch`
collects the per-loan summaries.

Semantics are those of the scalar engine, documented in ``schedules/plan.py`` (forgiveness, then
settlement; contract-preserving level amounts; payment-cut search; deferral; annuity /
differentiated / principal_first lines, ended early by a pay-off only when there is no arrears
bucket; arrears shares over the lines scheduled), and the batch result equals ``build_plan``'s
to the tiyn.

Exactness: every amount is int64 tiyn and every rounding is integer arithmetic. Interest =
half-up(balance × rate_ppm × days / (10^6 × 360|365)), rate_ppm the annual percent × 10^4. Bound:
``balance × rate_ppm × days < 2^62`` (:data:`MAX_INTEREST_PRODUCT`): with the scalar engine's
input limits (amounts ≤ 2·10^10 tiyn, rate ≤ 2·10^6 ppm, periods ≤ 31 days) the product is
≤ 1.24·10^18; loans outside the limits get ``E-INPUT-OUT-OF-RANGE`` and are not computed. The
level payment is float64 with near-ties recomputed exactly (:mod:`schedules.batch_pmt`).

Kernel: loans of a block are grouped by (method, day count) and sorted by their number of
amortising instalments, so at line ``j`` the loans still running are a suffix and those paying
their planned last instalment a contiguous run: no masks in the monthly loop.

This module streams the blocks; the arrays are built in ``batch_arrays``, a block's checks and debt split are
``batch_terms``, its later stages ``batch_block``, the search and the monthly loop ``batch_kernel``, the results
``batch_result`` and the limits and violation bits ``schedules.limits`` (all importable from here as before).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields

import numpy as np

from schedules.batch_arrays import (
    ANNUITY,
    DEFER_INTEREST_FREE,
    DEFER_PRINCIPAL,
    DEFER_PRINCIPAL_AND_INTEREST,
    DEFERRAL_CODES,
    DIFFERENTIATED,
    EPOCH,
    FORGIVE_ALL,
    METHOD_CODES,
    NO_COLLATERAL,
    OMITTED,
    PRINCIPAL_FIRST,
    LoanArrays,
    PlanArrays,
    loan_arrays,
    plan_arrays,
    to_arrays,
)
from schedules.batch_block import Workspace, run_block
from schedules.batch_calendar import period_days_table
from schedules.batch_kernel import cut_search
from schedules.batch_result import SCHEDULE_FIELDS, SUMMARY_FIELDS, BatchSummary, BlockResult
from schedules.limits import MAX_INTEREST_PRODUCT, violation_ids

__all__ = [  # the array and result names stay importable from here (the limits: schedules.limits)
    "ANNUITY",
    "DEFERRAL_CODES",
    "DEFER_INTEREST_FREE",
    "DEFER_PRINCIPAL",
    "DEFER_PRINCIPAL_AND_INTEREST",
    "DIFFERENTIATED",
    "EPOCH",
    "FORGIVE_ALL",
    "MAX_INTEREST_PRODUCT",
    "METHOD_CODES",
    "NO_COLLATERAL",
    "OMITTED",
    "PRINCIPAL_FIRST",
    "SCHEDULE_FIELDS",
    "SUMMARY_FIELDS",
    "BatchSummary",
    "BlockResult",
    "LoanArrays",
    "PlanArrays",
    "cut_search",
    "iter_blocks",
    "loan_arrays",
    "plan_arrays",
    "run_batch",
    "to_arrays",
    "violation_ids",
]


def iter_blocks(
    loans: LoanArrays,
    plan: PlanArrays,
    *,
    max_term_months: int,
    block_size: int = 32768,
    with_schedule: bool = False,
    workers: int = 1,
) -> Iterator[BlockResult]:
    """Yield per-block results over the portfolio, in order; summary buffers are reused.

    A yielded block stays valid until the next one is asked for. With ``workers > 1`` the next
    blocks are computed by a thread pool meanwhile (numpy releases the GIL in its loops), each in
    its own buffers: memory is ``workers`` blocks of work, whatever the portfolio size.
    """
    for f in fields(plan):
        a = getattr(plan, f.name)
        if a.ndim not in (0, 1) or (a.ndim == 1 and a.shape[0] != loans.size):
            raise ValueError(f"plan field {f.name} must be a scalar or one value per loan")
    period_days_table()  # build the shared tables before any thread reads them
    size = min(block_size, max(loans.size, 1))
    starts = list(range(0, loans.size, block_size))

    def job(ws: Workspace, lo: int) -> BlockResult:
        return run_block(ws, loans, plan, lo, min(lo + block_size, loans.size), max_term_months, with_schedule)

    if workers <= 1:
        ws = Workspace(size)
        for lo in starts:
            yield job(ws, lo)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        spaces = [Workspace(size) for _ in range(workers)]
        pending: deque[Future[BlockResult]] = deque()
        for i, lo in enumerate(starts[:workers]):
            pending.append(pool.submit(job, spaces[i], lo))
        for i in range(len(starts)):
            yield pending.popleft().result()
            nxt = i + workers
            if nxt < len(starts):
                pending.append(pool.submit(job, spaces[i % workers], starts[nxt]))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_batch(
    loans: LoanArrays, plan: PlanArrays, *, max_term_months: int, block_size: int = 32768, workers: int = 2
) -> BatchSummary:
    """Summaries for every loan, streamed block by block (memory: the summaries plus the blocks' work)."""
    res = {name: np.zeros(loans.size, dtype=np.int64) for name in SUMMARY_FIELDS}
    blocks = iter_blocks(loans, plan, max_term_months=max_term_months, block_size=block_size, workers=workers)
    for block in blocks:
        for name in SUMMARY_FIELDS:
            res[name][block.start : block.stop] = getattr(block, name)
    return BatchSummary(**res)
