"""Keyset page cursors on (a due date, an id): opaque to clients, checked when they come back."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from restructure.errors import InvalidInput


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
