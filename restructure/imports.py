"""Bulk loan snapshots from the core system (SPEC §10): upserted by contract number, in batches, idempotently.

Rows arrive already parsed and schema-checked (the API layer owns the wire formats and the marshmallow schemas);
here each row gets the same cross-field checks as ``POST /loans`` and lands with one bulk statement per batch:
an ``INSERT`` for new contracts, an ``UPDATE`` by primary key for newer snapshots. A snapshot older than the stored
one is ignored, an equal one is unchanged, so sending the same file twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from psycopg import sql
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from restructure.borrowers import BorrowerData
from restructure.iin import iin_problems
from restructure.loan_snapshots import record_bulk
from restructure.loans import LoanData, snapshot_problems
from restructure.orm import Borrower, Loan
from restructure.uow import UnitOfWork
from rules.vulnerable import VULNERABLE_CATEGORIES

BATCH = 1000
LOAN_FIELDS = tuple(f.name for f in fields(LoanData))
# what a newer snapshot may change; the contract's identity and its borrower stay
UPDATABLE = tuple(name for name in LOAN_FIELDS if name not in ("borrower_id", "contract_number"))
LOANS: Table = Loan.__table__  # type: ignore[assignment]
BORROWERS: Table = Borrower.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Row:
    """One parsed line: loan fields as ``LoanData`` takes them (``borrower_id`` may be absent when ``borrower``
    is given), or the errors that kept it from parsing."""

    line: int
    loan: dict[str, Any] | None = None
    borrower: BorrowerData | None = None
    core_loan_id: str | None = None
    errors: dict[str, list[str]] | None = None


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_older: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, line: int, errors: dict[str, list[str]]) -> None:
        self.errors.append({"line": line, "errors": errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored_older": self.ignored_older,
            "errors": sorted(self.errors, key=lambda e: e["line"]),
        }


def import_snapshots(
    uow_factory: Callable[[], UnitOfWork],
    rows: Iterable[Row],
    *,
    today: date,
    now: datetime,
    batch_size: int = BATCH,
) -> ImportSummary:
    """Upsert every good row; report each bad one by line. One transaction per batch of ``batch_size`` rows."""
    summary = ImportSummary()
    iterator: Iterator[Row] = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        summary.rows += len(batch)
        good = [row for row in batch if _checked(row, summary, today)]
        if good:
            _land(uow_factory, good, summary, now=now)
    return summary


def _checked(row: Row, summary: ImportSummary, today: date) -> bool:
    if row.errors:
        summary.fail(row.line, row.errors)
        return False
    assert row.loan is not None  # noqa: S101 - a row without errors carries a loan
    errors = snapshot_problems(LoanData(**({"borrower_id": 0} | row.loan)), today=today)
    if row.borrower is not None:
        if problems := iin_problems(row.borrower.iin, today=today):
            errors["borrower.iin"] = problems
        if unknown := sorted(set(row.borrower.vulnerable_categories) - set(VULNERABLE_CATEGORIES)):
            errors["borrower.vulnerable_categories"] = [f"Unknown Housing Law Art. 68 category: {c}." for c in unknown]
    if errors:
        summary.fail(row.line, errors)
        return False
    return True


def _land(uow_factory: Callable[[], UnitOfWork], rows: list[Row], summary: ImportSummary, *, now: datetime) -> None:
    """One batch in one transaction; a clash with a concurrent import is retried once on fresh data."""
    for attempt in (1, 2):
        counts = ImportSummary()
        try:
            with uow_factory() as uow:
                _upsert(uow.session, rows, counts, now=now)
                uow.commit()
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        summary.created += counts.created
        summary.updated += counts.updated
        summary.unchanged += counts.unchanged
        summary.ignored_older += counts.ignored_older
        summary.errors.extend(counts.errors)
        return


def _upsert(session: Session, rows: list[Row], counts: ImportSummary, *, now: datetime) -> None:
    borrower_ids = _resolve_borrowers(session, rows, counts, now=now)
    numbers = {row.loan["contract_number"] for row in rows if row.loan}
    stored: dict[str, dict[str, Any]] = {
        r["contract_number"]: dict(r)
        for r in session.execute(select(LOANS).where(LOANS.c.contract_number.in_(numbers))).mappings()
    }
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for row in rows:
        assert row.loan is not None  # noqa: S101
        if row.line not in borrower_ids:
            continue
        values = {**row.loan, "borrower_id": borrower_ids[row.line]}
        if row.core_loan_id is not None:
            values["core_loan_id"] = row.core_loan_id
        number = values["contract_number"]
        current = inserts.get(number) or updates.get(number) or stored.get(number)
        if current is None:
            inserts[number] = values | {"created_at": now}
            counts.created += 1
        elif current["borrower_id"] != values["borrower_id"]:
            counts.fail(row.line, {"borrower_id": ["The contract is stored for another borrower."]})
        elif values["as_of"] < current["as_of"]:
            counts.ignored_older += 1
        elif values["as_of"] == current["as_of"]:
            if _same(current, values):
                counts.unchanged += 1
            else:
                counts.fail(row.line, {"as_of": ["A different snapshot with this as_of is already stored."]})
        elif number in inserts:
            inserts[number] = current | values
            counts.updated += 1
        else:
            updates[number] = current | values
            counts.updated += 1
    _insert_many(session, LOANS, list(inserts.values()))
    _apply_update(session, list(updates.values()), now=now)


def _same(current: dict[str, Any], values: dict[str, Any]) -> bool:
    return all(current.get(name) == values.get(name) for name in UPDATABLE if name in values)


def _apply_update(session: Session, snapshots: list[dict[str, Any]], *, now: datetime) -> None:
    """Write newer snapshots over stored loans, by primary key, in bulk (COPY to a scratch table and one
    ``UPDATE … FROM`` on PostgreSQL; ``INSERT … ON CONFLICT DO UPDATE`` with many rows elsewhere).

    The single place a stored loan changes on import: the snapshot history (``loan_snapshots``) hooks in here.
    """
    if not snapshots:
        return
    record_bulk(session, snapshots, now=now)  # SPEC §8: the history of snapshots is kept, imports included
    columns = [name for name in (*UPDATABLE, "core_loan_id") if name in LOANS.c]
    if _is_postgresql(session):
        _update_by_copy(session, columns, snapshots)
        return
    upsert = sqlite_insert(LOANS)
    statement = upsert.on_conflict_do_update(
        index_elements=[LOANS.c.contract_number], set_={name: upsert.excluded[name] for name in columns}
    ).returning(LOANS.c.id)
    session.execute(statement, [{k: v for k, v in s.items() if k != "id"} for s in snapshots]).all()


def _update_by_copy(session: Session, columns: list[str], snapshots: list[dict[str, Any]]) -> None:
    names = ["id", *columns]
    listed = sql.SQL(", ").join(map(sql.Identifier, names))
    with _raw(session).cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.import_loans")
        cursor.execute(
            sql.SQL("CREATE TEMP TABLE import_loans AS SELECT {} FROM {} WITH NO DATA").format(
                listed, sql.Identifier(LOANS.name)
            )
        )
        with cursor.copy(sql.SQL("COPY import_loans ({}) FROM STDIN").format(listed)) as copy:
            for snapshot in snapshots:
                copy.write_row([_plain(snapshot.get(name)) for name in names])
        cursor.execute("ANALYZE import_loans")  # a fresh table has no statistics: let the planner see its size
        cursor.execute(
            sql.SQL("UPDATE {loans} SET {sets} FROM import_loans new WHERE {loans}.id = new.id").format(
                loans=sql.Identifier(LOANS.name),
                sets=sql.SQL(", ").join(
                    sql.SQL("{} = new.{}").format(sql.Identifier(n), sql.Identifier(n)) for n in columns
                ),
            )
        )
        cursor.execute("DROP TABLE pg_temp.import_loans")


def _insert_many(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Many rows at once: COPY on PostgreSQL; elsewhere ``INSERT … RETURNING`` with many parameter sets, which
    SQLAlchemy sends as multi-row statements."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for names, group in groups.items():
        if _is_postgresql(session):
            with _raw(session).cursor() as cursor:
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
                )
                with cursor.copy(statement) as copy:
                    for row in group:
                        copy.write_row([_plain(row[name]) for name in names])
        else:
            session.execute(insert(table).returning(table.c.id), group).all()


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _raw(session: Session) -> Any:
    """The psycopg connection under the session's transaction (COPY has no SQLAlchemy construct)."""
    return session.connection().connection.driver_connection


def _plain(value: Any) -> Any:
    """A value as COPY takes it: documents as JSON text, timestamps in UTC; psycopg adapts the rest."""
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _resolve_borrowers(session: Session, rows: list[Row], counts: ImportSummary, *, now: datetime) -> dict[int, int]:
    """Line → borrower id: given ids must exist; embedded borrowers are matched by IIN, or registered."""
    given = {row.loan["borrower_id"] for row in rows if row.loan and "borrower_id" in row.loan}
    known = set(session.scalars(select(BORROWERS.c.id).where(BORROWERS.c.id.in_(given)))) if given else set()
    iins = {row.borrower.iin for row in rows if row.borrower is not None}
    by_iin: dict[str, int] = {}
    if iins:
        by_iin = dict(session.execute(select(BORROWERS.c.iin, BORROWERS.c.id).where(BORROWERS.c.iin.in_(iins))).all())
        new: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row.borrower is not None and row.borrower.iin not in by_iin:
                new.setdefault(row.borrower.iin, _borrower_values(row.borrower, now))
        if new:
            _insert_many(session, BORROWERS, list(new.values()))
            by_iin.update(
                session.execute(select(BORROWERS.c.iin, BORROWERS.c.id).where(BORROWERS.c.iin.in_(new))).all()
            )
    out: dict[int, int] = {}
    for row in rows:
        assert row.loan is not None  # noqa: S101
        if row.borrower is not None:
            out[row.line] = by_iin[row.borrower.iin]
        elif row.loan["borrower_id"] in known:
            out[row.line] = row.loan["borrower_id"]
        else:
            counts.fail(row.line, {"borrower_id": [f"No borrower with id {row.loan['borrower_id']}."]})
    return out


def _borrower_values(data: BorrowerData, now: datetime) -> dict[str, Any]:
    return {
        "iin": data.iin,
        "full_name": data.full_name.strip(),
        "language": data.language,
        "vulnerable_categories": list(dict.fromkeys(data.vulnerable_categories)),
        "targeted_social_assistance": data.targeted_social_assistance,
        "emergency_affected": data.emergency_affected,
        "other_monthly_debt_payments": data.other_monthly_debt_payments,
        "created_at": now,
    }
