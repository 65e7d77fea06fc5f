"""Stored loans as columns, block by block, for the portfolio what-if (issue #17).

PostgreSQL: one ``COPY (SELECT …) TO STDOUT (FORMAT BINARY)`` whose every column is a non-null ``int8`` (money in
tiyn, rates in ppm, dates as days since 1970-01-01, codes for method, day count, security and the borrower's flags),
so each row of the stream has the same width and a block of rows is parsed by one ``numpy.frombuffer`` with a
big-endian record type: no Python object per value. The stream is cut into blocks of :data:`BLOCK` loans, each
handed on before the next is read, so memory stays one block whatever the portfolio size.

Other databases (SQLite, the default): the same columns built from rows read by blocks through a server-side cursor
(``yield_per``).

The columns, their parsing and the stream's cutting into blocks are ``schedules/columns.py`` (pure); this module
is the database's side: the queries and the driver.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from restructure.orm import Borrower, Loan
from schedules.batch import METHOD_CODES, NO_COLLATERAL
from schedules.batch_calendar import DAY_COUNT_CODES
from schedules.batch_start import NO_DATE, SECURED_CODES
from schedules.columns import FIELDS, Flags, LoanColumns, columns_of, copy_stream_blocks, day_number
from schedules.money import to_tiyn

BLOCK = 8192
"""Loans per block: the batch engine's sweet spot. Measured on 200,000 loans (bench_portfolio_scale.py): 4.0 s
end to end with 8,192, 17.8 s with 65,536 (the engine's per-block schedule matrices fall out of cache)."""

__all__ = [
    "BLOCK", "FIELDS", "FlagTable", "Flags", "IdRange", "LoanColumns", "column_blocks", "copy_blocks", "flag_table",
    "given_flag_table", "in_range", "row_blocks",
]

IdRange = tuple[int | None, int | None]
"""Loan ids ``lo <= id < hi`` (``None``: no bound): one partition of a distributed what-if."""
FlagTable = tuple[Sequence[str], Sequence[Flags]]
"""The borrowers' distinct flags: their texts in the COPY (:data:`_FLAG_TEXT`) and the values they stand for."""

_GIVEN: ContextVar[FlagTable | None] = ContextVar("portfolio_flag_table", default=None)


@contextmanager
def given_flag_table(table: FlagTable) -> Iterator[None]:
    """The binary COPY of this context uses ``table`` instead of reading it (one ``SELECT DISTINCT`` over every
    borrower, some 10 ms per 20,000 borrowers): a distributed run reads it once for all its partitions. A borrower
    whose flags the table lacks makes the COPY's blocks a ``ValueError``."""
    token = _GIVEN.set(table)
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _tiyn(value: Decimal | None, missing: int) -> int:
    return missing if value is None else to_tiyn(value)


_day = day_number


# --- the generic path: rows by blocks -----------------------------------------------------------------------------

_ROW_COLUMNS = (
    Loan.id, Loan.principal, Loan.term_months, Loan.outstanding_principal, Loan.overdue_principal,
    Loan.overdue_interest, Loan.penalties, Loan.accrued_interest, Loan.annual_rate_pct, Loan.remaining_term_months,
    Loan.payment_day, Loan.method, Loan.day_count, Loan.scheduled_payment, Loan.collateral_value, Loan.secured_by,
    Loan.issued_on, Loan.as_of, Loan.overdue_since, Loan.with_collection_agency_since,
    Borrower.vulnerable_categories, Borrower.targeted_social_assistance, Borrower.emergency_affected,
    Borrower.other_monthly_debt_payments,
)


def _row_values(row: Sequence[Any], flag_codes: dict[Flags, int]) -> tuple[int, ...]:
    (id_, principal, term, outstanding, op, oi, pen, accrued, rate, remaining, pday, method, day_count, payment,
     collateral, secured, issued, as_of, since, agency, cats, tsa, emergency, other) = row
    flags: Flags = (tuple(cats or ()), bool(tsa), bool(emergency))
    code = flag_codes.setdefault(flags, len(flag_codes))
    rate_scaled = rate.scaleb(4)
    if int(rate_scaled) != rate_scaled:
        raise ValueError(f"{rate} has more than four decimals")
    return (
        id_, _tiyn(principal, 0), term, _tiyn(outstanding, 0), _tiyn(op, 0), _tiyn(oi, 0), _tiyn(pen, 0),
        _tiyn(accrued or Decimal(0), 0), int(rate_scaled), remaining, pday, METHOD_CODES[method],
        DAY_COUNT_CODES[day_count], _tiyn(payment, 0), _tiyn(collateral, NO_COLLATERAL), SECURED_CODES[secured],
        _day(issued), _day(as_of), _day(since), _day(agency), code, _tiyn(other or Decimal(0), 0),
    )


def in_range(query: Any, id_range: IdRange | None) -> Any:
    """``query`` restricted to the loans of ``id_range``."""
    lo, hi = id_range or (None, None)
    if lo is not None:
        query = query.where(Loan.id >= lo)
    if hi is not None:
        query = query.where(Loan.id < hi)
    return query


def row_blocks(session: Session, block: int = BLOCK, id_range: IdRange | None = None) -> Iterator[LoanColumns]:
    """Every stored loan (of ``id_range``) with its borrower's flags, in loan id order, as columns of ``block`` loans
    (any database)."""
    query = in_range(
        select(*_ROW_COLUMNS).join(Borrower, Borrower.id == Loan.borrower_id).order_by(Loan.id), id_range
    ).execution_options(yield_per=block)
    flag_codes: dict[Flags, int] = {}
    for rows in session.execute(query).partitions():
        if not rows:
            continue
        yield columns_of([_row_values(r, flag_codes) for r in rows], list(flag_codes))


# --- PostgreSQL: binary COPY --------------------------------------------------------------------------------------



def _case(column: str, codes: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in codes.items())
    return f"(CASE {column} {whens} END)::int8"


def _day_sql(column: str, nullable: bool) -> str:
    day = f"({column} - DATE '1970-01-01')::int8"
    return f"COALESCE({day}, {NO_DATE})" if nullable else day


def copy_query(flag_texts: Sequence[str], id_range: IdRange | None = None) -> Any:
    """The COPY's SELECT (a ``psycopg.sql.Composed``): one int8 per :data:`FIELDS`, no NULLs. ``flag_texts``: the
    distinct :data:`_FLAG_TEXT` of the borrowers, the code being the index (quoted by psycopg); ``id_range``: only
    those loans (bound as literals)."""
    from psycopg import sql

    money = "(l.{0} * 100)::int8"
    exprs = [
        "l.id::int8", money.format("principal"), "l.term_months::int8", money.format("outstanding_principal"),
        money.format("overdue_principal"), money.format("overdue_interest"), money.format("penalties"),
        "COALESCE((l.accrued_interest * 100)::int8, 0)", "(l.annual_rate_pct * 10000)::int8",
        "l.remaining_term_months::int8", "l.payment_day::int8", _case("l.method", METHOD_CODES),
        _case("l.day_count", DAY_COUNT_CODES), money.format("scheduled_payment"),
        f"COALESCE((l.collateral_value * 100)::int8, {NO_COLLATERAL})", _case("l.secured_by", SECURED_CODES),
        _day_sql("l.issued_on", False), _day_sql("l.as_of", False), _day_sql("l.overdue_since", True),
        _day_sql("l.with_collection_agency_since", True),
        f"(COALESCE(array_position({{flags}}::text[], {_FLAG_TEXT}), 0) - 1)::int8",
        "(COALESCE(b.other_monthly_debt_payments, 0) * 100)::int8",
    ]
    # every piece above is a constant of this module; the only value from the database is bound as a literal
    lo, hi = id_range or (None, None)
    where = " AND ".join(
        ["TRUE"] + (["l.id >= {lo}"] if lo is not None else []) + (["l.id < {hi}"] if hi is not None else [])
    )
    template = (
        "COPY (SELECT " + ", ".join(exprs) + " FROM loans l JOIN borrowers b ON b.id = l.borrower_id "  # noqa: S608 - constants only
        "WHERE " + where + " ORDER BY l.id) TO STDOUT (FORMAT BINARY)"
    )
    bounds = {name: sql.Literal(int(v)) for name, v in (("lo", lo), ("hi", hi)) if v is not None}
    return sql.SQL(template).format(flags=sql.Literal(list(flag_texts)), **bounds)


_FLAG_TEXT = (
    "(COALESCE(b.vulnerable_categories::text, '[]') || '|' || b.targeted_social_assistance::text || '|' "
    "|| b.emergency_affected::text)"
)


def flag_table(session: Session) -> FlagTable:
    """The borrowers' distinct flags now (PostgreSQL)."""
    return _flag_values(session)


def _flag_values(session: Session) -> tuple[list[str], list[Flags]]:
    import json

    query = (
        "SELECT DISTINCT " + _FLAG_TEXT + ", b.vulnerable_categories::text, b.targeted_social_assistance, "  # noqa: S608 - constants only
        "b.emergency_affected FROM borrowers b"
    )
    raw = session.connection().exec_driver_sql(query).all()
    texts = [r[0] for r in raw]
    values: list[Flags] = [(tuple(json.loads(r[1]) or ()) if r[1] else (), bool(r[2]), bool(r[3])) for r in raw]
    return texts, values


def copy_blocks(session: Session, block: int = BLOCK, id_range: IdRange | None = None) -> Iterator[LoanColumns]:
    """Every stored loan (of ``id_range``) with its borrower's flags, in loan id order, ``block`` loans at a time
    (PostgreSQL)."""
    texts, flags = _GIVEN.get() or _flag_values(session)
    dbapi: Any = session.connection().connection.dbapi_connection
    with dbapi.cursor() as cursor, cursor.copy(copy_query(texts, id_range)) as copy:
        yield from copy_stream_blocks(copy, flags, block)


def column_blocks(
    session: Session, block: int | None = None, id_range: IdRange | None = None
) -> Iterator[LoanColumns]:
    """Every stored loan (of ``id_range``: default all) as columns, by blocks (default :data:`BLOCK`): binary COPY on
    PostgreSQL (psycopg), rows elsewhere."""
    block = block or BLOCK
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and bind.dialect.driver == "psycopg":
        return copy_blocks(session, block, id_range)
    return row_blocks(session, block, id_range)
