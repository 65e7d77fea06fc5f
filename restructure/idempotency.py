"""Idempotency keys (SPEC §11): a retry with the same key and body gets the first answer and changes nothing.

The key row is inserted at the start of the request's transaction and completed with the answer before that
transaction commits, so the key and the change are durable together or not at all. A racing retry blocks on the
primary key until the first transaction ends, then replays its answer (or proceeds, if the first rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from restructure.orm import IdempotencyKey
from restructure.uow import UnitOfWork

TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Claimed:
    """This request owns the key; complete it with the answer before committing."""

    row: IdempotencyKey


@dataclass(frozen=True)
class Replay:
    """The key already answered this request."""

    status_code: int
    content_type: str | None
    location: str | None
    body: bytes


@dataclass(frozen=True)
class Mismatch:
    """The key was used for another request (another body, path or method)."""

    method: str
    path: str


def claim(
    session: Session, *, principal: str, key: str, method: str, path: str, request_hash: str, now: datetime
) -> Claimed | Replay | Mismatch:
    """Claim ``key`` for this request inside ``session``'s transaction, or report what it already answered."""
    for _ in range(2):
        existing = session.get(IdempotencyKey, (principal, key), populate_existing=True)
        if existing is not None and existing.created_at <= now - TTL:
            session.delete(existing)
            session.flush()
            existing = None
        if existing is not None:
            if existing.request_hash != request_hash or existing.method != method or existing.path != path:
                return Mismatch(method=existing.method, path=existing.path)
            if existing.status_code is not None:
                return Replay(
                    status_code=existing.status_code,
                    content_type=existing.content_type,
                    location=existing.location,
                    body=existing.body or b"",
                )
        row = IdempotencyKey(
            principal=principal, key=key, method=method, path=path, request_hash=request_hash, created_at=now
        )
        savepoint = session.begin_nested()
        try:
            session.add(row)
            session.flush()  # on PostgreSQL this waits for a racing transaction holding the same key
        except IntegrityError:
            savepoint.rollback()
            continue  # the racer committed: read its answer
        savepoint.commit()
        return Claimed(row=row)
    raise RuntimeError("idempotency key could not be claimed")  # pragma: no cover - two races in a row


def complete(
    session: Session, claimed: Claimed, *, status_code: int, content_type: str | None, location: str | None,
    body: bytes,
) -> None:
    """Store the answer with the key; the caller commits the transaction."""
    claimed.row.status_code = status_code
    claimed.row.content_type = content_type
    claimed.row.location = location
    claimed.row.body = body
    session.flush()


def purge(uow: UnitOfWork, *, now: datetime) -> int:
    """Delete keys older than 24 hours; returns how many."""
    with uow:
        result = uow.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= now - TTL))
        uow.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
