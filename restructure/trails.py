"""Append-only event trails (SPEC §6, §9): one event per change, numbered per record, written in the change's own
transaction. The applications' and the complaints' trails are two tables of the same shape; a :class:`Trail` writes
and reads either."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from restructure.access import Actor
from restructure.uow import UnitOfWork

SYSTEM = "system"
"""The actor role of events no person caused (the sweeper)."""


@dataclass(frozen=True)
class Trail:
    """The trail of one kind of record: its event table, the column naming the record, and the states that close
    the record (a move into one sets its ``closed_on``)."""

    event_type: type[Any]
    owner_key: str
    closing: Collection[str] = field(default=frozenset())

    def record(
        self,
        uow: UnitOfWork,
        owner: Any,
        kind: str,
        actor: Actor | None,
        from_status: str | None,
        payload: Mapping[str, Any],
        *,
        today: date,
        now: datetime,
    ) -> None:
        """Append one event (who, role, when, from → ``owner.status``, payload); its ``seq`` follows the last."""
        owned = getattr(self.event_type, self.owner_key) == owner.id
        seq = uow.session.scalar(select(func.coalesce(func.max(self.event_type.seq), 0)).where(owned))
        uow.session.add(
            self.event_type(
                **{self.owner_key: owner.id},
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

    def transition(
        self,
        uow: UnitOfWork,
        owner: Any,
        to_status: str,
        kind: str,
        actor: Actor | None,
        payload: Mapping[str, Any],
        *,
        today: date,
        now: datetime,
    ) -> None:
        """Move ``owner`` to ``to_status`` and record it (an in-place change passes the same status)."""
        from_status = owner.status
        owner.status = to_status
        owner.updated_at = now
        if to_status in self.closing:
            owner.closed_on = today
        self.record(uow, owner, kind, actor, from_status, payload, today=today, now=now)

    def events(self, uow: UnitOfWork, owner_id: int) -> list[Any]:
        """The trail of one record, oldest first."""
        owned = getattr(self.event_type, self.owner_key) == owner_id
        return list(uow.session.scalars(select(self.event_type).where(owned).order_by(self.event_type.seq)))
