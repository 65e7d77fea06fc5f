"""What the batch engine returns: per-loan summary arrays, for a block of loans or the whole portfolio (SPEC §2).

:class:`BatchSummary` declares the summary fields once; :class:`BlockResult` is a summary of the loans
``[start, stop)`` with, optionally, the schedule matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from schedules.batch_arrays import I64, Bool


@dataclass(frozen=True)
class BatchSummary:
    """Per-loan summaries (int64; money in tiyn; dates in epoch days), of a block or of the whole portfolio.

    ``violations`` is a bit mask (``schedules.limits.violation_ids``); an emptied plan has ``instalments == 0``,
    ``maturity_on == -1`` and zero totals. ``level`` is the level amount used (annuity / principal_first payment,
    differentiated principal part).
    """

    violations: I64
    instalments: I64
    first_payment: I64
    max_regular_payment: I64
    maturity_on: I64
    total_payment: I64
    total_principal: I64
    total_interest: I64
    total_arrears: I64
    forgiven: I64
    settled: I64
    level: I64
    deferred: I64
    penalty_excess_removed: I64

    @property
    def feasible(self) -> Bool:
        """True where the plan has no violation."""
        return np.asarray(self.violations == 0)


SUMMARY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(BatchSummary))
SCHEDULE_FIELDS = ("payment", "principal", "interest", "arrears", "balance")


@dataclass(frozen=True)
class _Span:
    start: int
    stop: int


@dataclass(frozen=True)
class BlockResult(BatchSummary, _Span):
    """:class:`BatchSummary` of the loans ``[start, stop)`` (fields: ``start``, ``stop``, the summaries, the matrices).

    The arrays are views into buffers the generator reuses: copy what you keep before asking for the next block.
    With ``with_schedule`` the ``schedule_*`` matrices (loans × lines, zero-padded past ``instalments``; due dates
    −1) are set.
    """

    schedule_due_on: I64 | None = None
    schedule_payment: I64 | None = None
    schedule_principal: I64 | None = None
    schedule_interest: I64 | None = None
    schedule_arrears: I64 | None = None
    schedule_balance: I64 | None = None
