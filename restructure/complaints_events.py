"""The complaint's append-only trail: every transition writes one event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from restructure.access import Actor
from restructure.complaints_orm import Complaint, ComplaintEvent
from restructure.trails import append_event
from restructure.uow import UnitOfWork


def record_event(
    uow: UnitOfWork,
    complaint: Complaint,
    kind: str,
    actor: Actor | None,
    from_status: str | None,
    payload: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
) -> None:
    """Append one event (who, role, when, from → to, payload)."""
    append_event(
        uow, ComplaintEvent, "complaint_id", complaint, kind, actor, from_status, payload, today=today, now=now
    )


def transition(
    uow: UnitOfWork,
    complaint: Complaint,
    to_status: str,
    kind: str,
    actor: Actor | None,
    payload: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
) -> None:
    """Move to ``to_status`` and record it; an in-place change without a status change passes the same status."""
    from_status = complaint.status
    complaint.status = to_status
    complaint.updated_at = now
    record_event(uow, complaint, kind, actor, from_status, payload, today=today, now=now)


def events(uow: UnitOfWork, complaint_id: int) -> list[ComplaintEvent]:
    """The trail, oldest first."""
    return list(
        uow.session.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.seq)
        )
    )
