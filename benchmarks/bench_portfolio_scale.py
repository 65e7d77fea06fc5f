"""The portfolio what-if at a lender's scale on PostgreSQL (issue #17; figures, not a timed test).

``python benchmarks/bench_portfolio_scale.py [--loans 1000000] [--url postgresql+psycopg://…/test] [--reuse]
[--skip-rows] [--workers 1,2] [--recommended]``

Creates (next to the database ``--url`` names, never touching it) the database ``bench`` and in it the schema
``portfolio_scale``, migrated by Alembic; COPYs ``--loans`` random loans in (``bench_portfolio.loan_rows``: one
borrower per ten loans, a third overdue) and vacuums them. Then times ``POST /api/v1/portfolio/what-if`` with one
plan (the 50% payment cut) end to end over HTTP through the Flask test client: over 100,000 loans the POST answers
202 and the figure runs until ``GET /portfolio/jobs/{id}`` says done (polled every 0.1 s). Once with the columnar loader
(binary COPY), then with the row loader of before (``PORTFOLIO_LOADER = "rows"``), in the same process; prints
seconds, loans/s, the peak RSS of each call (``VmHWM``, reset before it) and ``ru_maxrss``, the load average, and
whether both aggregates are equal.

Then the same request on Dask (``RESTRUCTURE_DASK_SCHEDULER``, ``restructure/portfolio_dask.py``): for each count of
``--workers`` a ``LocalCluster`` of that many worker processes (one thread each) on this machine, warmed up, then
timed end to end as above; prints the peak RSS of this process (the driver, with the scheduler) and of each worker
(``VmHWM``, reset before the call), whether the aggregate equals the single-process one, and the scaling ratio
(the time with the fewest workers over the time with the most). ``--workers ""`` skips Dask.

``--recommended`` times ``"recommended": true`` (the scalar waterfall, a job over 2000 loans) instead of the plan,
in one process (the row loader is its only one) and on Dask.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_portfolio as base  # noqa: E402

from api import create_app  # noqa: E402
from api.runtime import runtime  # noqa: E402
from restructure.uow import UnitOfWork  # noqa: E402
from restructure.users import create_user  # noqa: E402

base.SCHEMA = "portfolio_scale"
PLAN = {"payment_cut_pct": "50"}
BODY: dict[str, Any] = {"start_on": "2026-12-10", "plan": PLAN}


def timed(client: Any, headers: dict[str, str]) -> tuple[float, dict[str, Any], int]:
    base.reset_peak_rss()
    started = time.perf_counter()
    response = client.post("/api/v1/portfolio/what-if?limit=100", json=BODY,
                           headers=headers)
    if response.status_code == 202:
        url = response.headers["Location"]
        while True:
            time.sleep(0.1)
            job = client.get(url, headers=headers).get_json()
            if job["status"] in ("done", "failed"):
                break
        assert job["status"] == "done", job
        body = job["result"]
    else:
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        body = response.get_json()
    return time.perf_counter() - started, body, base.memory_kib("VmHWM")


def vacuum(url: str) -> float:
    """Hint bits and the visibility map set, as on a book loaded long ago: without it the first scan after the COPY
    sets them itself (and autovacuum runs meanwhile), which made the first timed call half again as slow."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.perf_counter()
    with engine.connect() as connection:
        connection.execute(text("VACUUM (ANALYZE) loans, borrowers"))
    engine.dispose()
    return time.perf_counter() - started


def _worker_reset() -> None:
    base.reset_peak_rss()


def _worker_peak() -> int:
    return base.memory_kib("VmHWM")


def _worker_warm(url: str) -> None:
    from restructure import portfolio_dask

    with portfolio_dask.worker_engine(url).connect():
        pass


def on_dask(app: Any, client: Any, headers: dict[str, str], workers: int, url: str) -> tuple[float, dict[str, Any]]:
    """The timed call with the what-if on a LocalCluster of ``workers`` processes (warmed up: imports, a pooled
    connection each, as a long-running cluster has them)."""
    import dask.config
    from distributed import Client, LocalCluster

    # without it every large temporary array of the engine is mmapped anew: 40% slower (portfolio_dask's docstring)
    no_trim = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
    with dask.config.set(no_trim), LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with Client(cluster, set_as_default=False) as dask_client:
            dask_client.run(_worker_warm, url)
            app.config["RESTRUCTURE"]["DASK_SCHEDULER"] = cluster.scheduler_address
            app.config["PORTFOLIO_LOADER"] = "columns"
            dask_client.run(_worker_reset)
            elapsed, body, peak = timed(client, headers)
            peaks = dask_client.run(_worker_peak)
            app.config["RESTRUCTURE"]["DASK_SCHEDULER"] = None
    loans = body["aggregate"]["loans"]
    each = ", ".join(f"{kib / 1024:.0f}" for kib in peaks.values())
    print(f" dask {workers}: {elapsed:6.2f} s end to end for {loans:,} stored loans ({loans / elapsed:,.0f} loans/s), "
          f"peak RSS driver {peak / 1024:.0f} MiB + workers [{each}] MiB "
          f"= {(peak + sum(peaks.values())) / 1024:.0f} MiB")
    return elapsed, body["aggregate"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--reuse", action="store_true", help="keep the loans of the previous run")
    parser.add_argument("--skip-rows", action="store_true", help="time the columnar loader only")
    parser.add_argument("--workers", default="1,2", help="Dask worker counts to time, comma-separated")
    parser.add_argument("--recommended", action="store_true", help="the recommended waterfall instead of the plan")
    args = parser.parse_args()

    url = base.bench_url(args.url)
    if not args.reuse:
        started = time.perf_counter()
        base.rebuild_schema(url)
        print(f"schema {base.DATABASE}.{base.SCHEMA} migrated in {time.perf_counter() - started:.1f} s")
        print(f"COPY {args.loans:,} loans and {max(1, args.loans // 10):,} borrowers: "
              f"{base.load(url, args.loans):.1f} s")
        print(f"VACUUM (ANALYZE) loans, borrowers: {vacuum(url):.1f} s")

    app = create_app({"DATABASE_URL": url, "TODAY": base.TODAY.isoformat(), "ENV": "test", "SECRET_KEY": "bench"})
    rt = runtime(app)
    user = create_user(
        UnitOfWork(rt.session_factory), name="bench", role="credit_officer", borrower_id=None, now=rt.clock.now()
    )
    headers = {"Authorization": f"Bearer {user.token}"}
    client = app.test_client()
    client.post("/api/v1/portfolio/what-if", json={"start_on": "2026-12-10", "plan": {}, "loan_ids": [1]},
                headers=headers)  # warm-up: imports, tables, the connection pool

    if args.recommended:
        BODY.pop("plan")
        BODY["recommended"] = True
    figures = {}
    for loader in ("columns",) if args.skip_rows or args.recommended else ("columns", "rows"):
        app.config["PORTFOLIO_LOADER"] = loader
        elapsed, body, peak = timed(client, headers)
        loans = body["aggregate"]["loans"]
        figures[loader] = body["aggregate"]
        print(f"{loader:>7}: {elapsed:6.2f} s end to end for {loans:,} stored loans ({loans / elapsed:,.0f} loans/s),"
              f" peak RSS during the call {peak / 1024:.0f} MiB")
    print(f"aggregate: {json.dumps(figures['columns'])}")
    if "rows" in figures:
        print(f"columns == rows: {figures['columns'] == figures['rows']}")
    times = {}
    for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
        times[workers], aggregate = on_dask(app, client, headers, workers, url)
        print(f"  dask {workers} == columns: {aggregate == figures['columns']}")
    if len(times) > 1:
        few, many = min(times), max(times)
        print(f"scaling {few} -> {many} workers: {times[few] / times[many]:.2f}x "
              f"({times[few]:.2f} s / {times[many]:.2f} s)")
    print(f"ru_maxrss (whole run): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
          f"load average {os.getloadavg()}; {os.cpu_count()} CPUs")
    rt.engine.dispose()


if __name__ == "__main__":
    main()
