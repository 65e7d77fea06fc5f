"""Gap-free register numbers (ACF 5.5, 5.12): ``IN-YYYY-NNNNNN`` incoming and ``OUT-YYYY-NNNNNN`` outgoing, per
year. The counter row is locked ``FOR UPDATE`` in the transaction that uses the number, so concurrent
registrations queue on it and a rolled-back registration leaves no gap."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from restructure.complaints_orm import ComplaintCounter
from restructure.uow import UnitOfWork

INCOMING = "IN"
OUTGOING = "OUT"


def format_number(series: str, year: int, seq: int) -> str:
    """``IN-2026-000001``."""
    return f"{series}-{year:04d}-{seq:06d}"


def next_number(uow: UnitOfWork, series: str, year: int) -> str:
    """The next number of ``series`` in ``year``, taken inside the caller's transaction."""
    session = uow.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # the first number of a year creates the row; racing creators meet on the primary key and one insert is a no-op
    session.execute(
        insert(ComplaintCounter)
        .values(series=series, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["series", "year"])
    )
    counter = session.scalars(
        select(ComplaintCounter)
        .where(ComplaintCounter.series == series, ComplaintCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    counter.last += 1
    session.flush()
    return format_number(series, year, counter.last)
