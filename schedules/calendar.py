"""Due dates and day counts (SPEC §2).

* Due dates are monthly on ``payment_day`` (1..31); a month without that day uses its last day. The first
  due date is the first ``payment_day`` strictly after ``start_on``; the k-th is k−1 months later (always
  re-clamped from ``payment_day``, so 31 → Feb 28/29 → Mar 31, never drifting to the 28th).
* ``30E/360``: a date's "30E day" is ``min(day, 30)`` — except that a *due date* (and ``start_on`` when it
  falls on the clamped ``payment_day`` of its month) counts as ``min(payment_day, 30)`` even when the month
  is short. Hence every whole period between two due dates is exactly 30 days (interest exactly ``r/12``),
  February included, and the broken first period is ``360·Δyear + 30·Δmonth + D(first due) − D(start_on)``
  (0..30 days).
* ``actual/365``: the actual number of days between the dates.
"""

from __future__ import annotations

import calendar as _cal
from datetime import date

from schedules.terms import DayCount

_MONTH_LEN = [[0] + [_cal.monthrange(y, m)[1] for m in range(1, 13)] for y in (2023, 2024)]


def month_length(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year``."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _MONTH_LEN[1 if leap else 0][month]


def clamp_day(year: int, month: int, payment_day: int) -> int:
    """``payment_day`` in that month, or its last day when the month is shorter."""
    n = month_length(year, month)
    return payment_day if payment_day <= n else n


def due_dates(start_on: date, payment_day: int, count: int) -> list[date]:
    """The first ``count`` due dates on ``payment_day`` strictly after ``start_on``."""
    y, m = start_on.year, start_on.month
    if clamp_day(y, m, payment_day) <= start_on.day:
        m += 1
        if m == 13:
            y, m = y + 1, 1
    out: list[date] = []
    for _ in range(count):
        out.append(date(y, m, clamp_day(y, m, payment_day)))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def _day30(d: date, payment_day: int) -> int:
    if d.day == clamp_day(d.year, d.month, payment_day):
        return payment_day if payment_day < 30 else 30
    return d.day if d.day < 30 else 30


def days_30e(start: date, end: date, payment_day: int) -> int:
    """30E/360 days from ``start`` to ``end`` with due dates on ``payment_day`` (see the module docstring)."""
    return (
        360 * (end.year - start.year)
        + 30 * (end.month - start.month)
        + _day30(end, payment_day)
        - _day30(start, payment_day)
    )


def period_days(start_on: date, dues: list[date], payment_day: int, day_count: DayCount) -> list[int]:
    """Days of each period: the first from ``start_on`` to ``dues[0]``, then between consecutive due dates."""
    if not dues:
        return []
    if day_count == "30E/360":
        return [days_30e(start_on, dues[0], payment_day)] + [30] * (len(dues) - 1)
    out = [(dues[0] - start_on).days]
    prev = dues[0]
    for d in dues[1:]:
        out.append((d - prev).days)
        prev = d
    return out


def year_days(day_count: DayCount) -> int:
    """The year basis of the day count: 360 or 365."""
    return 360 if day_count == "30E/360" else 365
