"""Figures for bulk snapshot imports (not a timed test): ``python benchmarks/bench_import.py [--rows N] [--url URL]``.

Writes N NDJSON snapshots (each with an embedded borrower, so N borrowers too) to a temporary file, then imports it
three times into a schema of its own on PostgreSQL (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
through the same reader and service as ``POST /imports/snapshots``: the first run creates, the second finds every row
unchanged, the third (every ``as_of`` a day later) updates. Prints the seconds and rows per second of each run and
the peak resident memory of the process (``ru_maxrss``), before and after, to show that the file is streamed.
With ``--tracemalloc`` the Python allocations' peak is measured as well (slower; the times then say so).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic import command  # noqa: E402

from api.cli import alembic_config  # noqa: E402
from api.import_rows import read_ndjson  # noqa: E402
from restructure.db import make_engine, make_session_factory  # noqa: E402
from restructure.iin import make_iin  # noqa: E402
from restructure.imports import import_snapshots  # noqa: E402
from restructure.uow import UnitOfWork  # noqa: E402
from tests.builders import loan_payload  # noqa: E402

TODAY = date(2026, 11, 25)


def write_rows(path: Path, rows: int, as_of: date) -> None:
    born = date(1960, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for n in range(rows):
            iin = make_iin(born + timedelta(days=n // 50), female=n % 2 == 1, serial=(n % 50) * 100 + 1)
            row = {
                **loan_payload(0, f"B-{n:07d}", as_of=as_of.isoformat()),
                "borrower": {"iin": iin, "full_name": f"Borrower {n}", "language": "ru"},
            }
            del row["borrower_id"]
            out.write(json.dumps(row) + "\n")


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(args.url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in args.url else "?"
        engine = make_engine(f"{args.url}{separator}options=-csearch_path%3D{schema}")
        with engine.begin() as connection:
            config = alembic_config(str(engine.url))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        factory = make_session_factory(engine)
        with tempfile.TemporaryDirectory() as tmp:
            first, later = Path(tmp) / "snapshots.ndjson", Path(tmp) / "later.ndjson"
            write_rows(first, args.rows, TODAY - timedelta(days=1))
            write_rows(later, args.rows, TODAY)
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print(
                f"{args.rows:,} rows, file {first.stat().st_size / 2**20:.1f} MiB; maxrss before {maxrss_mib():.0f} MiB"
            )
            if args.tracemalloc:
                tracemalloc.start()
            for label, path in (("create", first), ("same file again", first), ("newer as_of", later)):
                started, cpu = time.perf_counter(), time.process_time()
                with path.open("rb") as stream:
                    summary = import_snapshots(
                        lambda: UnitOfWork(factory), read_ndjson(stream), today=TODAY, now=datetime.now(UTC)
                    )
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                counts = {k: v for k, v in summary.as_dict().items() if k != "errors"}
                print(
                    f"{label:16s} {seconds:6.1f} s (own CPU {cpu:5.1f} s)  {args.rows / seconds:8,.0f} rows/s"
                    f"  {counts}"
                    f" errors={len(summary.errors)}  maxrss {maxrss_mib():.0f} MiB"
                    + ("  (under tracemalloc)" if args.tracemalloc else "")
                )
            if args.tracemalloc:
                _, peak = tracemalloc.get_traced_memory()
                print(f"tracemalloc peak of Python allocations: {peak / 2**20:.1f} MiB")
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
