"""Due dates and day counts of the batch engine as integer lookup tables (SPEC §2).

A month is an integer *month index* ``mi = (year - 1970) * 12 + (month - 1)`` (numpy's
``datetime64[M]``). A due date on ``payment_day`` in month ``mi`` is
``min(payment_day, days_in_month(mi))``. Every period after the first runs between due dates of
consecutive months, so its day count depends only on ``(day_count, payment_day, mi)`` and is read
from one precomputed table; the first period (from ``start_on``) is computed directly.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]

DC_30E_360 = 0
DC_ACTUAL_365 = 1
DAY_COUNT_CODES: dict[str, int] = {"30E/360": DC_30E_360, "actual/365": DC_ACTUAL_365}

MI_MIN = (1900 - 1970) * 12
"""First month index covered by the tables (January 1900)."""
MI_SPAN = 400 * 12
"""Months covered by the tables: 1900-01 to 2299-12."""
PD_SLOTS = 32


@lru_cache(maxsize=1)
def month_tables() -> tuple[I64, I64]:
    """``(first_day_ordinal, days_in_month)`` per month index from ``MI_MIN`` (epoch days)."""
    months = np.arange(MI_MIN, MI_MIN + MI_SPAN + 1, dtype=np.int64).astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    dim = np.diff(first)
    return first[:-1].copy(), dim


@lru_cache(maxsize=1)
def period_days_table() -> I64:
    """Flat table: days of the period ending on the due date in month ``mi`` (from ``mi - 1``).

    Index ``(day_count * PD_SLOTS + payment_day) * MI_SPAN + (mi - MI_MIN)``; the first month's
    entry is unused.
    """
    first, dim = month_tables()
    pd = np.arange(PD_SLOTS, dtype=np.int64)[:, None]
    due = np.minimum(pd, dim[None, :])
    table = np.zeros((2, PD_SLOTS, MI_SPAN), dtype=np.int64)
    table[DC_30E_360, :, 1:] = 30  # a due date counts as min(payment_day, 30): whole periods are 30 days
    ordinal = first[None, :] + due
    table[DC_ACTUAL_365, :, 1:] = ordinal[:, 1:] - ordinal[:, :-1]
    return table.reshape(-1)


def split_dates(days: I64) -> tuple[I64, I64]:
    """Month index and day of month (1..31) of dates given as days since 1970-01-01."""
    d = days.astype("datetime64[D]")
    mi = d.astype("datetime64[M]").astype(np.int64)
    dom = days - mi.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 1
    return mi, dom


def check_months(mi: I64) -> None:
    """Raise when a month index falls outside the tables."""
    if mi.size and (int(mi.min()) < MI_MIN + 1 or int(mi.max()) >= MI_MIN + MI_SPAN):
        raise ValueError("dates outside 1900-02..2299-12 are not supported by the batch engine")


def due_ordinal(mi: I64, payment_day: I64) -> I64:
    """Due date (epoch days) on ``payment_day`` in month ``mi``; a short month uses its last day."""
    first, dim = month_tables()
    idx = mi - MI_MIN
    return first[idx] + np.minimum(payment_day, dim[idx]) - 1


def first_due(start_days: I64, payment_day: I64, day_count: I64) -> tuple[I64, I64]:
    """Month index of the first due date (the first ``payment_day`` strictly after ``start_on``) and its days.

    Days of the first period as ``schedules/calendar.py``: 30E/360 counts a due date as
    ``min(payment_day, 30)`` and ``start_on`` likewise when it falls on its month's clamped
    ``payment_day`` (else ``min(day, 30)``); actual/365 counts actual days.
    """
    first, dim = month_tables()
    mi_s, dom_s = split_dates(start_days)
    check_months(mi_s)
    due_this = np.minimum(payment_day, dim[mi_s - MI_MIN])
    mi1 = mi_s + (dom_s >= due_this)
    check_months(mi1)
    due_day = np.minimum(payment_day, dim[mi1 - MI_MIN])
    pd30 = np.minimum(payment_day, 30)
    start30 = np.where(dom_s == due_this, pd30, np.minimum(dom_s, 30))
    d30 = 30 * (mi1 - mi_s) + pd30 - start30
    actual = first[mi1 - MI_MIN] + due_day - 1 - start_days
    return mi1, np.where(day_count == DC_30E_360, d30, actual)
