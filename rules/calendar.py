"""Calendar arithmetic the rules need: monthly due dates on a payment day (as ``schedules.calendar`` does)."""

from __future__ import annotations

from datetime import date

from schedules.calendar import clamp_day


def add_months(day: date, months: int, payment_day: int) -> date:
    """The date ``months`` after ``day``'s month on ``payment_day`` (a month without it uses its last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, clamp_day(year, month, payment_day))
