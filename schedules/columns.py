"""Stored loans as int64 columns, block by block: the form the portfolio what-if hands the batch engine (issue #17).

Every column is an ``int8`` of the database: money in tiyn, rates in ppm, dates as days since 1970-01-01
(:data:`NO_DATE` when missing), codes for method, day count, security and the borrower's flags. A PostgreSQL binary
``COPY`` of those columns has the same width on every row, so a block of rows is parsed by one ``numpy.frombuffer``
with a big-endian record type (:func:`copy_stream_blocks`); any other source gives the same columns from rows of
plain ints (:func:`columns_of`). Pure: the database side is ``restructure/portfolio_loader.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from schedules.batch_start import NO_DATE

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
EPOCH = date(1970, 1, 1)

FIELDS = (
    "id", "principal", "term_months", "outstanding_principal", "overdue_principal", "overdue_interest", "penalties",
    "accrued_interest", "rate_ppm", "remaining_term", "payment_day", "method", "day_count", "scheduled_payment",
    "collateral_value", "secured_by", "issued_on", "as_of", "overdue_since", "agency_since", "flags",
    "other_monthly_debt_payments",
)
"""The int64 columns of a block, in the order of the COPY."""

SNAPSHOT_COLUMNS: dict[str, str] = {
    "principal": "principal",
    "annual_rate_pct": "rate_ppm",
    "term_months": "term_months",
    "method": "method",
    "day_count": "day_count",
    "payment_day": "payment_day",
    "issued_on": "issued_on",
    "as_of": "as_of",
    "outstanding_principal": "outstanding_principal",
    "overdue_principal": "overdue_principal",
    "overdue_interest": "overdue_interest",
    "penalties": "penalties",
    "remaining_term_months": "remaining_term",
    "scheduled_payment": "scheduled_payment",
    "secured_by": "secured_by",
    "collateral_value": "collateral_value",
    "overdue_since": "overdue_since",
    "accrued_interest": "accrued_interest",
    "with_collection_agency_since": "agency_since",
}
"""Each ``schedules.terms.LoanSnapshot`` field → its column (``tests/unit/test_snapshot_fields.py`` checks that every
field is here or in :data:`NOT_LOADED`)."""
NOT_LOADED = frozenset({"next_payment_on"})
"""Snapshot fields the what-if does not read: the plan's first due date comes from ``start_on`` and the payment
day."""

Flags = tuple[tuple[str, ...], bool, bool]
"""A borrower's (vulnerable categories, АСП, emergency-affected): what R-MANDATORY reads."""


@dataclass(frozen=True)
class LoanColumns:
    """A block of stored loans in loan id order: ``columns[name]`` for each of :data:`FIELDS`; ``flags`` indexes
    :attr:`flag_values`."""

    columns: dict[str, I64]
    flag_values: Sequence[Flags]

    @property
    def size(self) -> int:
        """How many loans the block holds."""
        return int(self.columns["id"].size)

    def __getitem__(self, name: str) -> I64:
        return self.columns[name]

    def pick(self, *names: str) -> dict[str, I64]:
        """The named columns, as keyword arguments of the engine's array functions."""
        return {name: self.columns[name] for name in names}


def day_number(value: date | None) -> int:
    """Days since 1970-01-01, :data:`NO_DATE` for no date."""
    return NO_DATE if value is None else (value - EPOCH).days


def columns_of(rows: Sequence[Sequence[int]], flags: Sequence[Flags]) -> LoanColumns:
    """A block from rows of plain ints, one per :data:`FIELDS`."""
    table = np.array(rows, dtype=np.int64).reshape(len(rows), len(FIELDS))
    return LoanColumns({name: table[:, i].copy() for i, name in enumerate(FIELDS)}, list(flags))


COPY_HEADER = b"PGCOPY\n\xff\r\n\x00"
ROW = np.dtype([("count", ">i2")] + [x for name in FIELDS for x in ((name + "_len", ">i4"), (name, ">i8"))])
"""One row of the binary COPY: the field count, then (length, big-endian int8) per field."""


def parse_block(buffer: bytes | bytearray | memoryview, flags: Sequence[Flags]) -> LoanColumns:
    """Whole rows of the binary COPY → a block; ``ValueError`` on any other layout."""
    records = np.frombuffer(buffer, dtype=ROW)
    if records.size and (np.any(records["count"] != len(FIELDS)) or np.any(records["flags_len"] != 8)):
        raise ValueError("unexpected COPY row layout")
    if records.size and np.any(records["flags"] < 0):
        raise ValueError("a borrower's flags are missing from the flag table")
    return LoanColumns({name: records[name].astype(np.int64) for name in FIELDS}, flags)


def copy_stream_blocks(
    chunks: Iterable[bytes | memoryview], flags: Sequence[Flags], block: int
) -> Iterator[LoanColumns]:
    """The binary COPY stream (header, rows, trailer) in ``block`` loans at a time, each handed on before the next is
    read, so memory stays one block whatever the stream's length."""
    width = ROW.itemsize
    wanted = block * width
    buffer = bytearray()
    started = False
    for data in chunks:
        buffer += data
        if not started:
            if len(buffer) < len(COPY_HEADER) + 8:
                continue
            if bytes(buffer[: len(COPY_HEADER)]) != COPY_HEADER:
                raise ValueError("not a binary COPY stream")
            extension = int.from_bytes(buffer[len(COPY_HEADER) + 4 : len(COPY_HEADER) + 8], "big")
            del buffer[: len(COPY_HEADER) + 8 + extension]
            started = True
        if len(buffer) >= wanted:
            view = memoryview(buffer)[:wanted]
            yield parse_block(bytes(view), flags)
            view.release()
            del buffer[:wanted]
    if buffer[-2:] == b"\xff\xff":
        del buffer[-2:]
    if len(buffer) % width:
        raise ValueError("a truncated COPY stream")
    if buffer:
        yield parse_block(bytes(buffer), flags)


def flagged(codes: I64, table: Sequence[bool]) -> Bool:
    """Each loan's entry of ``table`` (indexed by its flags code), as a bool array the caller may amend."""
    return np.array(list(table) or [False], dtype=np.bool_)[codes]


def positions_of(ids: I64, keys: Iterable[int]) -> list[int]:
    """The positions in ``ids`` of the loans whose id is among ``keys``."""
    wanted = np.fromiter(keys, dtype=np.int64)
    return [int(i) for i in np.flatnonzero(np.isin(ids, wanted))]


def positions_after(ids: I64, cursor: int, count: int) -> list[int]:
    """The positions of the first ``count`` loans whose id is above ``cursor`` (ids ascending)."""
    return [int(i) for i in np.flatnonzero(ids > cursor)[:count]]
