"""Figures for the complaint register on PostgreSQL (not a timed test).

``python benchmarks/bench_complaints.py [--complaints 100000] [--requests 200] [--url postgresql+psycopg://…/test]``

Creates the database ``bench`` next to the one ``--url`` names (never touching that one) and, in it, the schema
``complaints_bench``, migrated by Alembic; inserts ``--complaints`` complaints spread over two years (5% still open,
a fifth of those past their due date) with one set-based INSERT; then times ``GET /api/v1/complaints?overdue=true``
end to end through the Flask app (token check, the keyset query, 50 Complaints as JSON), the next page by its cursor,
and the whole open register's first page. Prints p50/p95/max per request and the query plan of the overdue page.
Each request writes its log line to stderr, as in production (``2>/dev/null`` to hide them).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import create_app  # noqa: E402
from api.cli import alembic_config  # noqa: E402
from api.runtime import runtime  # noqa: E402
from restructure.uow import UnitOfWork  # noqa: E402
from restructure.users import create_user  # noqa: E402

DATABASE = "bench"
SCHEMA = "complaints_bench"
TODAY = date(2026, 11, 25)

FILL = """
INSERT INTO complaints (
    number, kind, channel, language, status, text, category, received_on, answer_due_on, rule_set, anonymous,
    reports_crime, forwarded_to_authorities, forwarding_late, outside_information, information_requests,
    created_at, updated_at, version, timely, outcome
)
SELECT
    'IN-' || extract(year FROM r)::int || '-' || lpad(g::text, 6, '0'),
    (ARRAY['complaint', 'appeal', 'suggestion'])[1 + g % 3],
    (ARRAY['cabinet', 'office', 'post', 'email', 'phone', 'short_number', 'website', 'messenger', 'social',
           'complaints_book'])[1 + g % 10],
    (ARRAY['kk', 'ru', 'en'])[1 + g % 3],
    CASE WHEN g % 20 = 0 THEN (ARRAY['registered', 'in_progress', 'answer_drafted', 'legal_reviewed'])[1 + (g / 20) % 4]
         WHEN g % 20 = 1 THEN 'refused_on_merits' WHEN g % 20 = 2 THEN 'withdrawn' ELSE 'closed' END,
    'benchmark complaint ' || g,
    (ARRAY['penalty_calculation', 'staff_conduct', 'restructuring', 'information'])[1 + g % 4],
    r, r + 15, 'ACF-COMPLAINTS-1', false, false, false, false, false, '[]',
    now(), now(), 1, CASE WHEN g % 20 > 2 THEN true END, CASE WHEN g % 20 > 2 THEN 'upheld' END
FROM (
    SELECT g, (CAST(:today AS date) - (CASE WHEN g % 20 = 0 AND g % 100 <> 0 THEN (g % 14)
                                     ELSE (g * 7919) % 730 END) * INTERVAL '1 day')::date AS r
    FROM generate_series(1, :n) AS g
) AS rows
"""


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


def rebuild(url: str, n: int) -> float:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text(FILL), {"n": n, "today": TODAY})
        connection.execute(text("ANALYZE complaints"))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def timed(client, path: str, headers: dict[str, str], requests: int) -> tuple[list[float], dict]:  # type: ignore[no-untyped-def]
    client.get(path, headers=headers)  # warm: the first request compiles the query and fills the pool
    times = []
    body: dict = {}
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
    return times, body


def report(label: str, times: list[float], body: dict) -> None:  # type: ignore[type-arg]
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label:38} p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
        f"  ({len(body['items'])} items, next_cursor {'yes' if body.get('next_cursor') else 'no'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url = bench_url(args.url)
    print(f"INSERT {args.complaints:,} complaints (one statement) + ANALYZE: {rebuild(url, args.complaints):.1f} s")
    app = create_app(
        {"DATABASE_URL": url, "TODAY": TODAY.isoformat(), "ENV": "test", "SECRET_KEY": "bench", "LOG_FORMAT": "json"}
    )
    rt = runtime(app)
    token = create_user(
        UnitOfWork(rt.session_factory), name="bench", role="rights_officer", borrower_id=None, now=rt.clock.now()
    ).token
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    with rt.engine.connect() as connection:
        counts = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE status IN"
                " ('registered','in_progress','answer_drafted','legal_reviewed')),"
                " count(*) FILTER (WHERE status IN ('registered','in_progress','answer_drafted','legal_reviewed')"
                " AND answer_due_on < :t) FROM complaints"
            ),
            {"t": TODAY},
        ).one()
        print(f"open: {counts[0]:,}; overdue: {counts[1]:,}")
        plan = connection.execute(
            text(
                "EXPLAIN ANALYZE SELECT * FROM complaints WHERE status IN ('registered','in_progress','answer_drafted',"
                "'legal_reviewed') AND answer_due_on < :t ORDER BY answer_due_on, id LIMIT 51"
            ),
            {"t": TODAY},
        ).all()
    print("plan of the overdue page:")
    for (line,) in plan:
        print("   ", line)
    times, body = timed(client, "/api/v1/complaints?overdue=true", headers, args.requests)
    report("GET /complaints?overdue=true", times, body)
    if body.get("next_cursor"):
        times2, body2 = timed(
            client, f"/api/v1/complaints?overdue=true&cursor={body['next_cursor']}", headers, args.requests
        )
        report("GET /complaints?overdue=true (page 2)", times2, body2)
    open_path = "/api/v1/complaints?" + "&".join(
        f"status={s}" for s in ("registered", "in_progress", "answer_drafted", "legal_reviewed")
    )
    times3, body3 = timed(client, open_path, headers, args.requests)
    report("GET /complaints?status=<open>", times3, body3)
    times4, body4 = timed(client, "/api/v1/complaints", headers, args.requests)
    report("GET /complaints (whole register)", times4, body4)
    rt.engine.dispose()


if __name__ == "__main__":
    main()
