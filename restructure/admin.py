"""Administrative actions on users, each written to the audit trail in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update

from restructure.errors import NotFound
from restructure.orm import AuditEvent, Token, User
from restructure.uow import UnitOfWork


def record(uow: UnitOfWork, *, actor: str, action: str, target: str, now: datetime, **detail: Any) -> None:
    """Append one audit event inside the caller's open unit of work (the caller commits)."""
    uow.session.add(AuditEvent(occurred_at=now, actor=actor, action=action, target=target, detail=detail))


def revoke_tokens(uow: UnitOfWork, user_id: int, *, actor: str, now: datetime) -> int:
    """Revoke every live token of a user (and so every page session opened with one); returns how many."""
    with uow:
        if uow.session.get(User, user_id) is None:
            raise NotFound(f"No user with id {user_id}.")
        result = uow.session.execute(
            update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None)).values(revoked_at=now)
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        record(uow, actor=actor, action="tokens_revoked", target=f"user:{user_id}", now=now, count=count)
        uow.commit()
    return count


def deactivate(uow: UnitOfWork, user_id: int, *, actor: str, now: datetime) -> None:
    """Deactivate a user: its tokens and page sessions stop working at once."""
    with uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound(f"No user with id {user_id}.")
        user.active = False
        record(uow, actor=actor, action="user_deactivated", target=f"user:{user_id}", now=now)
        uow.commit()
