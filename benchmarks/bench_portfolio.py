"""Figures for the portfolio what-if on PostgreSQL (not a timed test).

``python benchmarks/bench_portfolio.py [--loans 100000] [--url postgresql+psycopg://…/test] [--reuse]``

Creates the database ``bench`` next to the one ``--url`` names (never touching that one) and, in it, the schema
``portfolio_bench``, migrated by Alembic; COPYs ``--loans`` random loans (and one borrower per ten loans) into it;
then times ``POST /api/v1/portfolio/what-if`` end to end through the Flask app (token check, loading the loans in
chunks through a server-side cursor, arrays, the batch engine, NPVs, aggregation, one page of JSON) with a preset
(the 50% payment cut, and the 6-month term extension). Prints the time of each phase, the aggregate, and the peak
RSS of the timed call (``VmHWM``, reset before it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import create_app  # noqa: E402
from api.cli import alembic_config  # noqa: E402
from api.runtime import runtime  # noqa: E402
from restructure.uow import UnitOfWork  # noqa: E402
from restructure.users import create_user  # noqa: E402

DATABASE = "bench"
SCHEMA = "portfolio_bench"
TODAY = date(2026, 11, 25)
PRESETS = {"payment_cut_50": {"payment_cut_pct": "50"}, "term_extension": {"extra_months": 6}}
LOAN_COLUMNS = (
    "id", "borrower_id", "contract_number", "issued_on", "principal", "annual_rate_pct", "term_months", "method",
    "day_count", "payment_day", "secured_by", "collateral_value", "as_of", "outstanding_principal",
    "overdue_principal", "overdue_interest", "penalties", "overdue_since", "remaining_term_months",
    "scheduled_payment", "next_payment_on", "created_at",
)
BORROWER_COLUMNS = (
    "id", "iin", "full_name", "language", "vulnerable_categories", "targeted_social_assistance",
    "emergency_affected", "other_monthly_debt_payments", "created_at",
)


def memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return -1


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: resets VmHWM to the current RSS


def bench_url(url: str) -> str:
    base = make_url(url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}):
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return base.set(database=DATABASE, query={"options": f"-csearch_path={SCHEMA}"}).render_as_string(
        hide_password=False
    )


def rebuild_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    with engine.begin() as connection:
        from alembic import command

        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()


def loan_rows(n: int, borrowers: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """Random but possible snapshots: 6-60 month terms, 15-46% rates, a third of them overdue."""
    rng = np.random.default_rng(seed)
    now = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    term = rng.integers(6, 61, n)
    remaining = np.maximum(1, (term * rng.uniform(0.1, 1.0, n)).astype(np.int64))
    principal = rng.integers(100_000, 5_000_000, n) * 100  # tiyn
    rate_bp = rng.integers(1500, 4600, n)  # basis points
    outstanding = principal * remaining // term
    overdue = rng.random(n) < 0.35
    op = np.where(overdue & (remaining < term), np.minimum(principal // term, principal - outstanding), 0)
    oi = np.where(overdue, outstanding * rate_bp // 120_000, 0)
    pen = np.where(overdue, oi // 10, 0)
    r = rate_bp / 120_000
    pmt = np.ceil(outstanding * r / (1 - (1 + r) ** -remaining.astype(float))).astype(np.int64)
    methods = np.array(["annuity", "differentiated", "principal_first"])[rng.choice(3, n, p=[0.8, 0.15, 0.05])]
    day_counts = np.array(["30E/360", "actual/365"])[rng.choice(2, n, p=[0.7, 0.3])]
    payment_day = rng.integers(1, 32, n)

    def money(tiyn: int) -> str:
        return f"{tiyn // 100}.{tiyn % 100:02d}"

    for i in range(n):
        yield (
            i + 1, i % borrowers + 1, f"B-{i + 1:07d}", date(2024, 1, 15), money(int(principal[i])),
            f"{rate_bp[i] / 100:.2f}", int(term[i]), str(methods[i]), str(day_counts[i]), int(payment_day[i]), "none",
            None, date(2026, 11, 20), money(int(outstanding[i])), money(int(op[i])), money(int(oi[i])),
            money(int(pen[i])), date(2026, 10, 10) if overdue[i] else None, int(remaining[i]), money(int(pmt[i])),
            date(2026, 12, 10), now,
        )


def borrower_rows(n: int):  # type: ignore[no-untyped-def]
    now = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    for i in range(n):
        vulnerable = ["large_family"] if i % 7 == 0 else []
        yield (i + 1, f"{i + 1:012d}", f"Borrower {i + 1}", "ru", json.dumps(vulnerable), i % 5 == 0, i % 50 == 0,
               "15000.00", now)


def load(url: str, loans: int) -> float:
    borrowers = max(1, loans // 10)
    engine = create_engine(url)
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:  # type: ignore[attr-defined]
            with cursor.copy(f"COPY borrowers ({', '.join(BORROWER_COLUMNS)}) FROM STDIN") as copy:
                for row in borrower_rows(borrowers):
                    copy.write_row(row)
            with cursor.copy(f"COPY loans ({', '.join(LOAN_COLUMNS)}) FROM STDIN") as copy:
                for row in loan_rows(loans, borrowers):
                    copy.write_row(row)
            cursor.execute("SELECT setval(pg_get_serial_sequence('loans', 'id'), (SELECT max(id) FROM loans))")
            cursor.execute("ANALYZE loans")
            cursor.execute("ANALYZE borrowers")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres:postgres@127.0.0.1:5432/test")
    parser.add_argument("--reuse", action="store_true", help="keep the loans of the previous run")
    args = parser.parse_args()

    url = bench_url(args.url)
    if not args.reuse:
        started = time.perf_counter()
        rebuild_schema(url)
        print(f"schema {DATABASE}.{SCHEMA} migrated in {time.perf_counter() - started:.1f} s")
        print(f"COPY {args.loans:,} loans and {max(1, args.loans // 10):,} borrowers: {load(url, args.loans):.1f} s")

    app = create_app({"DATABASE_URL": url, "TODAY": TODAY.isoformat(), "ENV": "test", "SECRET_KEY": "bench"})
    rt = runtime(app)
    user = create_user(
        UnitOfWork(rt.session_factory), name="bench", role="credit_officer", borrower_id=None, now=rt.clock.now()
    )
    headers = {"Authorization": f"Bearer {user.token}"}
    client = app.test_client()
    client.post("/api/v1/portfolio/what-if", json={"start_on": "2026-12-10", "plan": {}, "loan_ids": [1]},
                headers=headers)  # warm-up: imports, tables, the connection pool

    for name, plan in PRESETS.items():
        reset_peak_rss()
        before = memory_kib("VmRSS")
        started = time.perf_counter()
        response = client.post(
            "/api/v1/portfolio/what-if?limit=100", json={"start_on": "2026-12-10", "plan": plan}, headers=headers
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        body = response.get_json()
        print(
            f"{name}: {elapsed:.2f} s end to end for {body['aggregate']['loans']:,} stored loans "
            f"({body['aggregate']['loans'] / elapsed:,.0f} loans/s); page of {len(body['items'])} items, "
            f"next_cursor={body['next_cursor']}"
        )
        print(f"  aggregate: {json.dumps(body['aggregate'])}")
        print(f"  RSS before {before / 1024:.0f} MiB, peak during the call {memory_kib('VmHWM') / 1024:.0f} MiB")
    rt.engine.dispose()


if __name__ == "__main__":
    main()
