"""The delinquency notice and the borrower's window (LMF Art. 9-2 p.1-2), from the rule set in force on the day
the delinquency arose. Pure: dates in, dates and statuses out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from rules.errors import RulesError
from rules.ruleset import DelinquencyPeriods, ruleset_for

R_DELINQUENCY_NOTICE = "R-DELINQUENCY-NOTICE"
NoticeStatus = Literal["due", "late", "sent"]
NOTICE_STATUSES: tuple[NoticeStatus, ...] = ("due", "late", "sent")


@dataclass(frozen=True)
class DelinquencyClock:
    """``notice_due_on = overdue_since + 10`` (p.1), ``window_until = overdue_since + 30`` (p.2)."""

    overdue_since: date
    notice_due_on: date
    window_until: date
    ruleset_id: str


def periods_for(overdue_since: date) -> tuple[str, DelinquencyPeriods]:
    """The periods of the rule set in force on the day the delinquency arose, with that set's id."""
    ruleset = ruleset_for(overdue_since)
    if ruleset.delinquency is None:
        raise RulesError(f"rule set {ruleset.id} has no delinquency periods")
    return ruleset.id, ruleset.delinquency


def clock(overdue_since: date) -> DelinquencyClock:
    """LMF Art. 9-2 p.1-2: a period of N days from D ends on D + N."""
    ruleset_id, periods = periods_for(overdue_since)
    return DelinquencyClock(
        overdue_since=overdue_since,
        notice_due_on=overdue_since + timedelta(days=periods.notice_days),
        window_until=overdue_since + timedelta(days=periods.window_days),
        ruleset_id=ruleset_id,
    )


def notice_late(c: DelinquencyClock, sent_on: date) -> bool:
    """LMF Art. 9-2 p.1: a notice sent after ``notice_due_on`` is late (it is still sent)."""
    return sent_on > c.notice_due_on


def notice_status(c: DelinquencyClock, sent_on: date | None, today: date) -> NoticeStatus:
    """``sent`` once dispatched; ``due`` until ``notice_due_on`` inclusive; ``late`` after it."""
    if sent_on is not None:
        return "sent"
    return "due" if today <= c.notice_due_on else "late"


def in_statutory_window(overdue_since: date | None, received_on: date) -> bool | None:
    """LMF Art. 9-2 p.2: received within ``overdue_since + 30``; ``None`` for a loan with no delinquency."""
    if overdue_since is None:
        return None
    return received_on <= clock(overdue_since).window_until
