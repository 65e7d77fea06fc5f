"""Append-only event trails (SPEC §6, §9): one event per change, numbered per record, written in the change's own
transaction. The applications' and the complaints' trails are two tables of the same shape; this is their writer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from restructure.access import Actor
from restructure.uow import UnitOfWork

SYSTEM = "system"
"""The actor role of events no person caused (the sweeper)."""


def append_event(
    uow: UnitOfWork,
    event_type: type[Any],
    owner_key: str,
    owner: Any,
    kind: str,
    actor: Actor | None,
    from_status: str | None,
    payload: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
) -> None:
    """Append one ``event_type`` row (who, role, when, from → ``owner.status``, payload) to ``owner``'s trail, whose
    foreign key column is ``owner_key``; its ``seq`` is one more than the last."""
    seq = uow.session.scalar(
        select(func.coalesce(func.max(event_type.seq), 0)).where(getattr(event_type, owner_key) == owner.id)
    )
    uow.session.add(
        event_type(
            **{owner_key: owner.id},
            seq=int(seq or 0) + 1,
            occurred_at=now,
            business_date=today,
            actor_id=None if actor is None else actor.user_id,
            actor_role=SYSTEM if actor is None else actor.role,
            kind=kind,
            from_status=from_status,
            to_status=owner.status,
            payload=dict(payload),
        )
    )
