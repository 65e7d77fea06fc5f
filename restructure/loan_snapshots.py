"""Newer snapshots of a stored loan from the core system (SPEC §8 rebasing): ``loans`` holds the latest, and
``loan_snapshots`` keeps every one received, oldest first.

A plan agreed on a day is rebuilt on the latest snapshot; a snapshot already past its next due date is stale, so the
core system sends a fresh one here before an agreement can take effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from restructure.access import Actor, ensure_visible
from restructure.errors import Conflict, InvalidInput, NotFound
from restructure.loans import LoanData, LoanView, snapshot_problems, view_of
from restructure.orm import Loan, LoanSnapshotRecord
from restructure.uow import UnitOfWork

FIXED = ("borrower_id", "contract_number", "issued_on", "principal")
"""The contract's identity: never changed by a snapshot (a different value is a different loan)."""


@dataclass(frozen=True)
class SnapshotRecord:
    """One snapshot as received: when it was recorded, by whom, and its fields."""

    as_of: date
    snapshot: dict[str, Any]
    recorded_at: datetime
    recorded_by: int | None


def changing_fields() -> tuple[str, ...]:
    """The fields of ``POST /loans`` a newer snapshot carries: everything but the contract's identity."""
    return tuple(f.name for f in fields(LoanData) if f.name not in FIXED)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _document(loan: Loan) -> dict[str, Any]:
    return {name: _plain(getattr(loan, name)) for name in changing_fields()}


def replace_snapshot(
    uow: UnitOfWork, actor: Actor, loan_id: int, changes: Mapping[str, Any], *, today: date, now: datetime
) -> LoanView:
    """Store a newer snapshot of the loan: its ``as_of`` must be later than the stored one (else a conflict)."""
    unknown = sorted(set(changes) - set(changing_fields()))
    if unknown:
        raise InvalidInput(
            "A snapshot cannot change the contract's identity.", {k: ["Cannot change."] for k in unknown}
        )
    with uow:
        loan = uow.session.scalars(select(Loan).where(Loan.id == loan_id).with_for_update()).first()
        if loan is None:
            raise NotFound("Loan not found.")
        as_of = changes["as_of"]
        if as_of <= loan.as_of:
            raise Conflict(
                f"The stored snapshot is as of {loan.as_of}; a newer snapshot must be as of a later day.",
                related={"stored_as_of": loan.as_of.isoformat()},
            )
        current = {f.name: getattr(loan, f.name) for f in fields(LoanData)}
        data = LoanData(**(current | dict(changes)))
        errors = snapshot_problems(data, today=today)
        if errors:
            raise InvalidInput("The loan snapshot is not possible.", errors)
        history = uow.session.scalar(select(LoanSnapshotRecord.id).where(LoanSnapshotRecord.loan_id == loan.id))
        if history is None:  # the snapshot of POST /loans becomes the first entry of the history
            uow.session.add(
                LoanSnapshotRecord(
                    loan_id=loan.id,
                    as_of=loan.as_of,
                    snapshot=_document(loan),
                    recorded_at=loan.created_at,
                    recorded_by=None,
                )
            )
        for name in changing_fields():
            setattr(loan, name, getattr(data, name))
        uow.session.add(
            LoanSnapshotRecord(
                loan_id=loan.id, as_of=loan.as_of, snapshot=_document(loan), recorded_at=now, recorded_by=actor.user_id
            )
        )
        uow.session.flush()
        view = view_of(uow, loan)
        uow.commit()
        return view


def snapshots(uow: UnitOfWork, actor: Actor, loan_id: int) -> list[SnapshotRecord]:
    """Every snapshot of the loan, oldest first (only the registered one until a newer arrives)."""
    with uow:
        loan = uow.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        ensure_visible(actor, loan.borrower_id, "Loan")
        rows = list(
            uow.session.scalars(
                select(LoanSnapshotRecord)
                .where(LoanSnapshotRecord.loan_id == loan_id)
                .order_by(LoanSnapshotRecord.as_of)
            )
        )
        if not rows:
            return [
                SnapshotRecord(
                    as_of=loan.as_of, snapshot=_document(loan), recorded_at=loan.created_at, recorded_by=None
                )
            ]
        return [SnapshotRecord(r.as_of, dict(r.snapshot), r.recorded_at, r.recorded_by) for r in rows]


def record_bulk(session: Session, snapshots: list[dict[str, Any]], *, now: datetime) -> None:
    """The history of a bulk import's newer snapshots (``snapshots`` carry the loan's ``id``), written before the
    loans are overwritten: first the stored state of each loan that has no history yet, then the new snapshot."""
    if not snapshots:
        return
    ids = [s["id"] for s in snapshots]
    with_history = set(
        session.scalars(select(LoanSnapshotRecord.loan_id).where(LoanSnapshotRecord.loan_id.in_(ids)).distinct())
    )
    missing = [i for i in ids if i not in with_history]
    names = changing_fields()
    rows: list[dict[str, Any]] = []
    if missing:
        for loan in session.scalars(select(Loan).where(Loan.id.in_(missing))):
            rows.append(
                {
                    "loan_id": loan.id,
                    "as_of": loan.as_of,
                    "snapshot": _document(loan),
                    "recorded_at": loan.created_at,
                    "recorded_by": None,
                }
            )
    rows.extend(
        {
            "loan_id": s["id"],
            "as_of": s["as_of"],
            "snapshot": {n: _plain(s.get(n)) for n in names},
            "recorded_at": now,
            "recorded_by": None,
        }
        for s in snapshots
    )
    session.execute(insert(LoanSnapshotRecord), rows)
