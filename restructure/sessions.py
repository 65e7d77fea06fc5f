"""Server-side page sessions: the cookie carries a random id; the row says whose it is and whether it still holds.

Every page request checks the row against its user and token, so revoking the token, deactivating the user or
signing out ends the session at once, even for a copy of the cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from restructure.access import Actor
from restructure.orm import PageSession, Token, User
from restructure.uow import UnitOfWork
from restructure.users import hash_token


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Opened:
    session_id: str
    actor: Actor


def open_session(uow: UnitOfWork, token: str, *, now: datetime) -> Opened | None:
    """Sign in with a bearer token: a new session for its user, or ``None`` for a bad token."""
    with uow:
        row = uow.session.execute(
            select(Token.id, User.id.label("user_id"), User.role, User.borrower_id)
            .join(User, Token.user_id == User.id)
            .where(Token.token_hash == hash_token(token), Token.revoked_at.is_(None), User.active.is_(True))
        ).first()
        if row is None:
            return None
        session_id = secrets.token_urlsafe(32)
        uow.session.add(PageSession(id=_digest(session_id), user_id=row.user_id, token_id=row.id, created_at=now))
        uow.commit()
    return Opened(session_id, Actor(user_id=row.user_id, role=row.role, borrower_id=row.borrower_id))


def check_session(uow: UnitOfWork, session_id: str) -> Actor | None:
    """The actor of a live session: not signed out, its token not revoked, its user active."""
    with uow:
        row = uow.session.execute(
            select(User.id, User.role, User.borrower_id)
            .join(PageSession, PageSession.user_id == User.id)
            .join(Token, Token.id == PageSession.token_id)
            .where(
                PageSession.id == _digest(session_id),
                PageSession.revoked_at.is_(None),
                Token.revoked_at.is_(None),
                User.active.is_(True),
            )
        ).first()
    if row is None:
        return None
    return Actor(user_id=row.id, role=row.role, borrower_id=row.borrower_id)


def close_session(uow: UnitOfWork, session_id: str, *, now: datetime) -> None:
    """Sign out: the session id is dead from now on, whoever holds a copy of the cookie."""
    with uow:
        uow.session.execute(
            update(PageSession)
            .where(PageSession.id == _digest(session_id), PageSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        uow.commit()
