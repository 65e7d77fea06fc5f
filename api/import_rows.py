"""Reading import files: NDJSON lines or CSV rows, each checked by the schemas of ``POST /loans`` and
``POST /borrowers``, yielded one at a time so that a 100,000-row file is never held in memory.

A CSV row uses the field names as columns (``borrower.iin``, ``borrower.full_name``, … for an embedded borrower);
an empty cell is an absent field, integers and booleans are read by the schema's field types, and a list field
(``borrower.vulnerable_categories``) separates its items with ``|``. Lines are numbered from 1; in CSV the header
is line 1.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import marshmallow as ma
from marshmallow import fields

from api.errors import flatten
from api.schemas import BorrowerCreateSchema, LoanCreateSchema
from restructure.borrowers import BorrowerData
from restructure.errors import InvalidInput
from restructure.imports import Row

NDJSON = "application/x-ndjson"
CSV = "text/csv"
MEDIA_TYPES = (NDJSON, CSV)
BORROWER = "borrower"
_INTEGER = re.compile(r"^-?[0-9]{1,12}$")


class RowReader:
    """Schemas built once and reused for every row (marshmallow schemas are stateless between loads)."""

    def __init__(self) -> None:
        self.loan = LoanCreateSchema()
        self.loan_without_borrower = LoanCreateSchema(partial=("borrower_id",))
        self.borrower = BorrowerCreateSchema()

    def row(self, line: int, data: Any, *, core_loan_id: str | None = None) -> Row:
        """One decoded row → a checked :class:`Row` (with ``errors`` naming the fields when it is bad)."""
        if not isinstance(data, Mapping):
            return Row(line=line, errors={"_line": ["Must be a JSON object."]})
        data = dict(data)
        errors: dict[str, list[str]] = {}
        borrower: BorrowerData | None = None
        embedded = data.pop(BORROWER, None)
        if embedded is not None:
            if "borrower_id" in data:
                errors["borrower"] = ["Give borrower_id or borrower, not both."]
            try:
                loaded = self.borrower.load(embedded)
                loaded["vulnerable_categories"] = tuple(loaded["vulnerable_categories"])
                borrower = BorrowerData(**loaded)
            except ma.ValidationError as exc:
                errors.update({f"borrower.{k}": v for k, v in flatten(exc.messages).items()})
        schema = self.loan if embedded is None else self.loan_without_borrower
        try:
            loan = schema.load(data)
        except ma.ValidationError as exc:
            errors.update(flatten(exc.messages))
        if errors:
            return Row(line=line, errors=errors)
        return Row(line=line, loan=loan, borrower=borrower, core_loan_id=core_loan_id)


def read_ndjson(stream: IO[bytes], reader: RowReader | None = None) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped but counted."""
    reader = reader or RowReader()
    for line, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Row(line=line, errors={"_line": ["Not valid UTF-8."]})
            continue
        except ValueError as exc:
            yield Row(line=line, errors={"_line": [f"Not valid JSON: {exc.msg}."]})  # type: ignore[attr-defined]
            continue
        yield reader.row(line, data)


def read_csv(stream: IO[bytes], reader: RowReader | None = None) -> Iterator[Row]:
    """A header of field names, then one snapshot per row; an unknown column rejects the whole file."""
    reader = reader or RowReader()
    bad_lines: set[int] = set()
    records = csv.reader(_decoded(stream, bad_lines), strict=True)
    try:
        header = next(records)
    except StopIteration:
        return
    types = _column_types(reader)
    unknown = [name for name in header if name not in types]
    if unknown or len(set(header)) != len(header):
        problems = {name: ["Unknown column."] for name in unknown}
        if len(set(header)) != len(header):
            problems["_header"] = ["A column is named twice."]
        raise InvalidInput("The CSV header names columns that are not snapshot fields.", problems)
    while True:
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(line=records.line_num, errors={"_line": [f"Not valid CSV: {exc}."]})
            return
        line = records.line_num
        if line in bad_lines:
            yield Row(line=line, errors={"_line": ["Not valid UTF-8."]})
            continue
        if not cells:
            continue
        if len(cells) != len(header):
            yield Row(line=line, errors={"_line": [f"Has {len(cells)} cells; the header has {len(header)}."]})
            continue
        yield reader.row(line, _nest(header, cells, types))


def rows_of(stream: IO[bytes], media_type: str, reader: RowReader | None = None) -> Iterator[Row]:
    return read_csv(stream, reader) if media_type == CSV else read_ndjson(stream, reader)


def _decoded(stream: Iterable[bytes], bad_lines: set[int]) -> Iterator[str]:
    for line, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad_lines.add(line)
            yield "\n"


def _column_types(reader: RowReader) -> dict[str, fields.Field]:
    columns: dict[str, fields.Field] = dict(reader.loan.fields)
    columns.update({f"{BORROWER}.{name}": f for name, f in reader.borrower.fields.items()})
    return columns


def _nest(header: list[str], cells: list[str], types: Mapping[str, fields.Field]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=True):
        if cell == "":
            continue
        value = _typed(cell, types[name])
        if name.startswith(f"{BORROWER}."):
            data.setdefault(BORROWER, {})[name.removeprefix(f"{BORROWER}.")] = value
        else:
            data[name] = value
    return data


def _typed(cell: str, field: fields.Field) -> Any:
    """A cell as JSON would have carried it; a cell that does not fit is passed on for the schema to reject."""
    if isinstance(field, fields.Integer) and _INTEGER.match(cell):
        return int(cell)
    if isinstance(field, fields.Boolean) and cell in ("true", "false"):
        return cell == "true"
    if isinstance(field, fields.List):
        return [item for item in cell.split("|") if item]
    return cell
