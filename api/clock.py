"""The one clock of the service. Everything below ``api/`` gets "today" and "now" from here, as parameters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")


class Clock(Protocol):
    def today(self) -> date:
        """The business date in Asia/Almaty."""
        ...

    def now(self) -> datetime:
        """An aware UTC timestamp."""
        ...


class SystemClock:
    """Wall-clock time."""

    def today(self) -> date:
        return datetime.now(ALMATY).date()

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A fixed business date (``RESTRUCTURE_TODAY``); timestamps keep the real time of day on that date."""

    def __init__(self, today: date) -> None:
        self._today = today

    def today(self) -> date:
        return self._today

    def now(self) -> datetime:
        local = datetime.now(ALMATY)
        return datetime.combine(self._today, local.timetz()).astimezone(UTC)


def make_clock(fixed_today: date | None) -> Clock:
    """The clock the configuration asks for."""
    return SystemClock() if fixed_today is None else FixedClock(fixed_today)
