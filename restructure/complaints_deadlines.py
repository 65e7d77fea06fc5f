"""The complaint register's part of the deadline sweep (SPEC §9; ACF 6.1): flags answers past their due date and
extension notices not sent within 3 days. Idempotent, and safe on several instances (``FOR UPDATE SKIP LOCKED``,
small batches, one transaction each); it only flags — a late answer is never blocked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from restructure import complaints_workflow as cw
from restructure.complaints_events import record_event
from restructure.complaints_orm import Complaint
from restructure.uow import UnitOfWork

BATCH = 100


@dataclass
class ComplaintSweep:
    """What one run flagged: complaint numbers per kind of breach."""

    breaches: list[str] = field(default_factory=list)
    notices_late: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        def line(label: str, numbers: list[str]) -> str:
            return f"{label}: {len(numbers)}" + (f" ({', '.join(numbers)})" if numbers else "")

        return [
            line("complaint answers overdue", self.breaches),
            line("complaint extension notices late", self.notices_late),
        ]


def _batches(uow_factory: Callable[[], UnitOfWork], query: Select[Any], flag: Callable[..., None]) -> None:
    while True:
        with uow_factory() as uow:
            batch = list(
                uow.session.scalars(query.order_by(Complaint.id).limit(BATCH).with_for_update(skip_locked=True))
            )
            if not batch:
                return
            for complaint in batch:
                flag(uow, complaint)
            uow.commit()


def sweep_complaints(uow_factory: Callable[[], UnitOfWork], *, today: date, now: datetime) -> ComplaintSweep:
    """Record each complaint whose answer is overdue, and each unsent extension notice past its 3 days, once."""
    report = ComplaintSweep()

    def breach(uow: UnitOfWork, c: Complaint) -> None:
        c.breach_recorded_on = today
        c.updated_at = now
        payload = {"answer_due_on": c.answer_due_on.isoformat(), "days_late": (today - c.answer_due_on).days}
        record_event(uow, c, "deadline_breached", None, c.status, payload, today=today, now=now)
        report.breaches.append(c.number)

    def notice_late(uow: UnitOfWork, c: Complaint) -> None:
        assert c.unsent_notice_due_on is not None  # noqa: S101 - selected on it
        c.notice_late_recorded_on = today
        c.updated_at = now
        payload = {"notice_due_on": c.unsent_notice_due_on.isoformat()}
        record_event(uow, c, "extension_notice_late", None, c.status, payload, today=today, now=now)
        report.notices_late.append(c.number)

    _batches(
        uow_factory,
        select(Complaint).where(
            Complaint.status.in_(cw.AWAITING_ANSWER),
            Complaint.answer_due_on < today,
            Complaint.breach_recorded_on.is_(None),
        ),
        breach,
    )
    _batches(
        uow_factory,
        select(Complaint).where(Complaint.unsent_notice_due_on < today, Complaint.notice_late_recorded_on.is_(None)),
        notice_late,
    )
    return report
