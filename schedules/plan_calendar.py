"""A plan's calendar: due dates, period days, 30E days of the first period and years to each due date (SPEC §2).

``schedules/calendar.py`` computes each; this caches the columns per loan, shared by its plans and its contract.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from schedules.calendar import days_30e, due_dates, period_days
from schedules.terms import DayCount


def plan_calendar(
    start_on: date, payment_day: int, count: int, day_count: DayCount
) -> tuple[tuple[date, ...], tuple[int, ...], int, tuple[float, ...]]:
    """Due dates, period days, 30E days of the first period, and the years (days / 365) to each due date.

    Every column is a prefix of a longer calendar (a period's days depend only on its two dates), so the plans
    of a loan share one calendar of ``count`` rounded up to 120 months.
    """
    dues, days, first30, years = _calendar_of(start_on, payment_day, -(-count // 120) * 120, day_count)
    if len(dues) == count:
        return dues, days, first30, years
    return dues[:count], days[:count], first30, years[:count]


@lru_cache(maxsize=512)
def _calendar_of(
    start_on: date, payment_day: int, count: int, day_count: DayCount
) -> tuple[tuple[date, ...], tuple[int, ...], int, tuple[float, ...]]:
    dues = due_dates(start_on, payment_day, count)
    days = period_days(start_on, dues, payment_day, day_count)
    first30 = days_30e(start_on, dues[0], payment_day) if dues else 0
    return tuple(dues), tuple(days), first30, tuple((due - start_on).days / 365.0 for due in dues)
