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


class FastLoad:
    """``schema.load`` for the common good row, at a fraction of marshmallow's per-row cost.

    Every field is deserialised by the schema's own field object (its ``_deserialize`` and its validators, the same
    defaults), and the schema's ``@validates`` hooks run on the result. Anything else (a missing required field, an
    unknown key, ``None``, an error, a schema with load or schema-level hooks) goes to ``schema.load`` itself, so
    the result and every error message are the schema's own.
    """

    def __init__(self, schema: ma.Schema, optional: tuple[str, ...] = ()) -> None:
        self.schema = schema
        self.fields = dict(schema.load_fields)
        self.optional = set(optional)
        hooks = {kind: entries for kind, entries in schema._hooks.items() if entries}  # marshmallow keeps them here
        self.enabled = set(hooks) <= {"validates"} and all(f.data_key is None for f in self.fields.values())
        self.validates = [
            (getattr(schema, name), kwargs["field_names"]) for name, _, kwargs in hooks.get("validates", ())
        ]

    def __call__(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.enabled:
            try:
                return self._fast(data)
            except (ma.ValidationError, _Slow):
                pass
        return self.schema.load(data, partial=tuple(self.optional) or None)  # type: ignore[no-any-return]

    def _fast(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.keys() <= self.fields.keys():
            raise _Slow
        out: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in data:
                value = data[name]
                if value is None:
                    raise _Slow
                value = field._deserialize(value, name, data)
                for validator in field.validators:
                    if validator(value) is False:
                        raise _Slow
                out[name] = value
            elif field.required and name not in self.optional:
                raise _Slow
            elif field.load_default is not ma.missing:
                default = field.load_default
                out[name] = default() if callable(default) else default
        for validator, names in self.validates:
            for name in names:
                if name in out:
                    validator(out[name], data_key=name)
        return out


class _Slow(Exception):
    """The row needs marshmallow's full load (for its exact result or messages)."""


class RowReader:
    """Schemas built once and reused for every row (marshmallow schemas are stateless between loads)."""

    def __init__(self) -> None:
        self.loan = LoanCreateSchema()
        self.borrower = BorrowerCreateSchema()
        self._load_loan = FastLoad(self.loan)
        self._load_loan_without_borrower = FastLoad(self.loan, optional=("borrower_id",))
        self._load_borrower = FastLoad(self.borrower)

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
                loaded = self._load_borrower(embedded) if isinstance(embedded, dict) else self.borrower.load(embedded)
                loaded["vulnerable_categories"] = tuple(loaded["vulnerable_categories"])
                borrower = BorrowerData(**loaded)
            except ma.ValidationError as exc:
                errors.update({f"borrower.{k}": v for k, v in flatten(exc.messages).items()})
        load = self._load_loan if embedded is None else self._load_loan_without_borrower
        try:
            loan = load(data)
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
    except csv.Error as exc:
        raise InvalidInput("The CSV header cannot be read.", {"_header": [f"Not valid CSV: {exc}."]}) from exc
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
