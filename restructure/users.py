"""Users and bearer tokens. A token is shown once, at creation; only its SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from restructure.access import BORROWER, ROLES, Actor
from restructure.errors import InvalidInput
from restructure.orm import Borrower, Token, User
from restructure.uow import UnitOfWork


def hash_token(token: str) -> str:
    """The stored form of a token. Tokens carry 256 random bits, so a plain digest cannot be brute-forced."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewUser:
    """A created user and its token in clear text, which exists only in this value."""

    user_id: int
    role: str
    token: str
    person_id: str = ""


def create_user(
    uow: UnitOfWork,
    *,
    name: str,
    role: str,
    borrower_id: int | None,
    now: datetime,
    person_id: str | None = None,
) -> NewUser:
    """Create a user with a fresh token; a borrower user must name an existing borrower, staff must not.

    ``person_id`` names the person behind the account (several accounts may share one); omitted, a new person.
    """
    errors: dict[str, list[str]] = {}
    person = (person_id or "").strip() or f"person-{uuid.uuid4().hex}"
    if len(person) > 64:
        errors["person_id"] = ["At most 64 characters."]
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if not name.strip():
        errors["name"] = ["Must not be empty."]
    if role == BORROWER and borrower_id is None:
        errors["borrower_id"] = ["A borrower user must be bound to a borrower."]
    if role != BORROWER and borrower_id is not None:
        errors["borrower_id"] = ["Only a borrower user is bound to a borrower."]
    with uow:
        if borrower_id is not None and uow.session.get(Borrower, borrower_id) is None:
            errors["borrower_id"] = [f"No borrower with id {borrower_id}."]
        if errors:
            raise InvalidInput("The user cannot be created.", errors)
        user = User(
            name=name.strip(), role=role, borrower_id=borrower_id, person_id=person, active=True, created_at=now
        )
        uow.session.add(user)
        uow.session.flush()
        token = secrets.token_urlsafe(32)
        uow.session.add(Token(user_id=user.id, token_hash=hash_token(token), created_at=now))
        uow.commit()
        return NewUser(user_id=user.id, role=role, token=token, person_id=person)


def authenticate(uow: UnitOfWork, token: str) -> Actor | None:
    """The actor behind a bearer token, or ``None`` for an unknown, revoked or inactive one."""
    with uow:
        row = uow.session.execute(
            select(User.id, User.role, User.borrower_id, User.person_id)
            .join(Token, Token.user_id == User.id)
            .where(Token.token_hash == hash_token(token), Token.revoked_at.is_(None), User.active.is_(True))
        ).first()
    if row is None:
        return None
    return Actor(user_id=row.id, role=row.role, borrower_id=row.borrower_id, person_id=row.person_id)


def same_person(uow: UnitOfWork, actor: Actor, *user_ids: int | None) -> bool:
    """SPEC §8 Who concurs: does ``actor`` belong to the person behind any of ``user_ids`` (any of their accounts)?"""
    ids = [i for i in user_ids if i is not None]
    if not ids:
        return False
    if actor.user_id in ids:
        return True
    me = uow.session.get(User, actor.user_id)
    if me is None or not me.person_id:
        return False
    persons = uow.session.scalars(select(User.person_id).where(User.id.in_(ids)))
    return me.person_id in set(persons)
