"""Faults during load: the database goes away and comes back, and a worker is killed (not a timed test).

``python benchmarks/bench_faults.py [--seconds 40] [--clients 20] [--outage 5] [--restart]``

Runs the load of ``bench_load.py`` (every POST with an Idempotency-Key, retried with it on a 503 or a transport
error). At ``--seconds/4`` the database becomes unreachable for ``--outage`` seconds: by default this benchmark's
own database refuses connections (``ALLOW_CONNECTIONS false``) and its sessions are terminated, so other users of
the server are untouched; with ``--restart`` the whole cluster is restarted (``pg_ctlcluster``; only on a machine of
your own). At ``--seconds/2`` one gunicorn worker is killed with SIGKILL. Prints what the clients saw (503s, 500s,
transport errors), the time from the database's return to the first success, and lost or duplicated records.
"""

# ruff: noqa: S603, S607, S608 - fixed commands and our own database name of this machine's PostgreSQL tools
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import (  # noqa: E402
    DATABASE,
    check_records,
    create_database,
    drive,
    drop_database,
    free_port,
    report,
    seed,
    start_server,
    stop_server,
)


def _admin(base: str, sql: str) -> None:
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def take_database_away(base: str, restart: bool) -> None:
    if restart:
        cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
        subprocess.run(["pg_ctlcluster", cluster[0], cluster[1], "stop", "-m", "fast"], check=True)
        return
    _admin(base, f'ALTER DATABASE "{DATABASE}" WITH ALLOW_CONNECTIONS false')
    _admin(base, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DATABASE}'")


def bring_database_back(base: str, restart: bool) -> None:
    if restart:
        cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
        subprocess.run(["pg_ctlcluster", cluster[0], cluster[1], "start"], check=True)
        return
    _admin(base, f'ALTER DATABASE "{DATABASE}" WITH ALLOW_CONNECTIONS true')


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("TEST_DATABASE_URL",
                                                        "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--borrowers", type=int, default=300)
    parser.add_argument("--outage", type=float, default=5)
    parser.add_argument("--restart", action="store_true", help="restart the whole cluster (your own machine only)")
    args = parser.parse_args()
    url = create_database(args.url, DATABASE)
    marks: dict[str, float] = {}
    try:
        seed_ = seed(url, args.borrowers)
        port = free_port()
        log = Path(tempfile.gettempdir()) / f"bench_faults_{port}.log"
        server = start_server(url, port, args.workers, log)

        async def faults(started: float) -> None:
            await asyncio.sleep(args.seconds / 4)
            marks["down"] = time.monotonic() - started
            await asyncio.to_thread(take_database_away, args.url, args.restart)
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(bring_database_back, args.url, args.restart)
            marks["up"] = time.monotonic() - started
            await asyncio.sleep(max(0.0, args.seconds / 2 - marks["up"]))
            victims = worker_pids(server.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                marks["killed"] = time.monotonic() - started

        try:
            stats = asyncio.run(drive(port, seed_, args.clients, args.seconds, grace=30, during=faults))
        finally:
            stop_server(server)
        report(stats, args.seconds)
        seen = Counter(status for _, _, status in stats.timeline)
        after_up = [t for t, _, status in stats.timeline if t >= marks.get("up", 0) and 200 <= status < 300]
        recovery = (min(after_up) - marks["up"]) if after_up and "up" in marks else float("nan")
        print(f"database away from {marks.get('down', float('nan')):.1f} s to {marks.get('up', float('nan')):.1f} s"
              f" ({'cluster restart' if args.restart else 'own database refusing connections'}); worker killed at"
              f" {marks.get('killed', float('nan')):.1f} s")
        print(f"clients saw: 503 x{seen[503]}, 500 x{seen[500]}, other 5xx x"
              f"{sum(c for s, c in seen.items() if s > 503 or 500 < s < 503)}, transport errors x{seen[-1]}; "
              f"first success {recovery:.2f} s after the database returned; gave up: {len(stats.gave_up)}")
        missing, duplicated, broken = check_records(url, stats)
        tracebacks = log.read_text(errors="replace").count("Traceback")
        outage_lines = log.read_text(errors="replace").count("database_unavailable")
        print(f"server log: {outage_lines} database_unavailable lines, {tracebacks} tracebacks "
              f"({log.stat().st_size} bytes, {log})")
        return 1 if (seen[500] or missing or duplicated or broken) else 0
    finally:
        bring_database_back(args.url, False) if not args.restart else None
        drop_database(args.url, DATABASE)


if __name__ == "__main__":
    sys.exit(main())
