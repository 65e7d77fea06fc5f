"""Keyset page cursors on (a due date, an id): opaque to clients, checked when they come back."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select

from restructure.errors import InvalidInput
from restructure.uow import UnitOfWork


def encode_cursor(due: date, record_id: int) -> str:
    """The cursor of the page that follows the record (``due``, ``record_id``)."""
    return base64.urlsafe_b64encode(f"{due.isoformat()}|{record_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, int]:
    """The (due date, id) a cursor of :func:`encode_cursor` carries; any other string is a 422 naming ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, record_id = raw.split("|")
        return date.fromisoformat(due), int(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not one this service issued.", {"cursor": ["Invalid cursor."]}) from exc


@dataclass(frozen=True)
class DueFilter:
    """The page of a queue ordered by its due date that a caller asks for: statuses, overdue or not, due before a
    day, and how many records after which cursor."""

    statuses: Sequence[str] = ()
    overdue: bool | None = None
    due_before: date | None = None
    limit: int = 50
    cursor: str | None = None


def due_page(
    uow: UnitOfWork,
    model: type[Any],
    due: Any,
    late: ColumnElement[bool],
    where: DueFilter,
) -> tuple[list[Any], str | None]:
    """Records of ``model``, earliest ``due`` first, then by id; ``late`` is the overdue condition. Keyset pages on
    (``due``, ``id``): the cursor of the next page, or ``None`` on the last."""
    query = select(model)
    if where.statuses:
        query = query.where(model.status.in_(where.statuses))
    if where.overdue is True:
        query = query.where(late)
    elif where.overdue is False:
        query = query.where(~late)
    if where.due_before is not None:
        query = query.where(due < where.due_before)
    if where.cursor:
        after, last_id = decode_cursor(where.cursor)
        query = query.where(or_(due > after, and_(due == after, model.id > last_id)))
    query = query.order_by(due, model.id).limit(where.limit + 1)
    with uow:
        rows = list(uow.session.scalars(query))
    page = rows[:where.limit]
    next_cursor = encode_cursor(getattr(page[-1], due.key), page[-1].id) if len(rows) > where.limit else None
    return page, next_cursor
