"""The complaint's append-only trail: every transition writes one event in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from restructure.access import Actor
from restructure.complaints_orm import Complaint, ComplaintEvent
from restructure.uow import UnitOfWork

SYSTEM = "system"


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
    seq = uow.session.scalar(
        select(func.coalesce(func.max(ComplaintEvent.seq), 0)).where(ComplaintEvent.complaint_id == complaint.id)
    )
    uow.session.add(
        ComplaintEvent(
            complaint_id=complaint.id,
            seq=int(seq or 0) + 1,
            occurred_at=now,
            business_date=today,
            actor_id=None if actor is None else actor.user_id,
            actor_role=SYSTEM if actor is None else actor.role,
            kind=kind,
            from_status=from_status,
            to_status=complaint.status,
            payload=dict(payload),
        )
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
