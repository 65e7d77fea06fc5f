"""Load on the shipped server, on PostgreSQL, over loopback (not a timed test; it prints figures).

``python benchmarks/bench_load.py [--seconds 60] [--clients 50] [--workers 4] [--url postgresql+psycopg://…/test]``

Creates the database ``restructure_load`` next to the one ``--url`` names (never touching that one), migrates it,
seeds borrowers, loans and users, starts ``restructure serve --workers N`` (gunicorn, async workers) and drives it
with ``--clients`` asyncio clients for ``--seconds``: cabinet submissions, simulations, queue reads, single reads,
decisions and concurrences. Every POST carries an Idempotency-Key and is retried with it on a transport error or a
503. Prints p50/p95/p99 per endpoint and the status counts, then checks in the database that every application a
client saw created exists exactly once, no loan has two, and every event trail is a valid chain. Drops the database
at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api import create_app  # noqa: E402
from api.cli import upgrade  # noqa: E402
from api.runtime import runtime  # noqa: E402
from restructure.iin import make_iin  # noqa: E402
from restructure.uow import UnitOfWork  # noqa: E402
from restructure.users import create_user  # noqa: E402
from tests import builders  # noqa: E402

TODAY = date(2026, 11, 25)
DATABASE = "restructure_load"
MIX = (("submit", 20), ("simulate", 20), ("queue", 20), ("read", 20), ("decide", 10), ("concur", 10))


def incomes() -> list[dict[str, str]]:
    months = ["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 11)]
    return [{"month": m, "amount": "300000.00"} for m in months]


def loan_payload(borrower_id: int, number: int) -> dict[str, Any]:
    return builders.loan_payload(borrower_id, f"LOAD-{number:06d}")


# --- the database and the seed ----------------------------------------------------------------------------------


def database_url(base: str, name: str = DATABASE) -> str:
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def create_database(base: str, name: str) -> str:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return database_url(base, name)


def drop_database(base: str, name: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Seed:
    officer: str
    rights: str
    borrowers: list[tuple[str, int]]  # (token, loan id), each loan submitted at most once
    loans: list[int]


def seed(url: str, borrowers: int) -> Seed:
    app = create_app({"DATABASE_URL": url, "TODAY": TODAY.isoformat(), "ENV": "test", "SECRET_KEY": "bench"})
    upgrade(app)
    rt = runtime(app)
    structlog.configure(logger_factory=structlog.ReturnLoggerFactory())  # the seed's request lines are noise

    def user(role: str, borrower_id: int | None = None) -> str:
        return create_user(UnitOfWork(rt.session_factory), name=f"load {role}", role=role, borrower_id=borrower_id,
                           now=rt.clock.now()).token

    officer, rights = user("credit_officer"), user("rights_officer")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {officer}"}
    out: list[tuple[str, int]] = []
    for n in range(borrowers):
        iin = make_iin(date(1980 + n % 20, 1 + n % 12, 1 + n % 27), female=bool(n % 2), serial=1000 + n)
        borrower = client.post("/api/v1/borrowers", headers=headers, json={
            "iin": iin, "full_name": f"Load Borrower {n}", "language": "ru", "vulnerable_categories": [],
            "targeted_social_assistance": False, "emergency_affected": False,
            "other_monthly_debt_payments": "20000.00",
        })
        assert borrower.status_code == 201, borrower.json
        loan = client.post("/api/v1/loans", headers=headers, json=loan_payload(borrower.json["id"], n))
        assert loan.status_code == 201, loan.json
        out.append((user("borrower", borrower.json["id"]), loan.json["id"]))
    rt.engine.dispose()
    return Seed(officer, rights, out, [loan for _, loan in out])


# --- the server ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"RESTRUCTURE_DATABASE_URL": url, "RESTRUCTURE_TODAY": TODAY.isoformat(),
                        "RESTRUCTURE_LOG_FORMAT": "json", "RESTRUCTURE_AUTH_FAILURE_LIMIT": "100000/minute"}
    stream = log.open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=stream, stderr=stream, start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b" 200 " in probe.recv(100):
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"the server did not start; see {log}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- a small keep-alive HTTP/1.1 client ------------------------------------------------------------------------------


class Http:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, token: str, body: Any = None,
                      key: str | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}",
                 f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        if key is not None:
            lines.append(f"Idempotency-Key: {key}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        try:
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = int(status_line.split()[1])
            headers: dict[str, str] = {}
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin1").partition(":")
                headers[name.strip().lower()] = value.strip()
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        except Exception:
            await self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, content


# --- the clients ------------------------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    transport_errors: int = 0
    retries: int = 0
    timeline: list[tuple[float, str, int]] = field(default_factory=list)  # (t, endpoint, status or -1)
    created: dict[str, int] = field(default_factory=dict)  # idempotency key -> application id
    gave_up: list[str] = field(default_factory=list)


@dataclass
class Pools:
    unsubmitted: list[tuple[str, int]]
    received: list[int] = field(default_factory=list)
    proposed: list[int] = field(default_factory=list)
    known: list[int] = field(default_factory=list)


async def call(http: Http, stats: Stats, endpoint: str, method: str, path: str, token: str, body: Any = None,
               started: float = 0.0, retry_until: float = 0.0) -> tuple[int, bytes]:
    """One logical request; a POST is retried with the same key on a transport error or a 503."""
    key = uuid.uuid4().hex if method == "POST" else None
    while True:
        t0 = time.perf_counter()
        try:
            status, headers, content = await http.request(method, path, token, body, key)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
            stats.transport_errors += 1
            stats.timeline.append((time.monotonic() - started, endpoint, -1))
            if time.monotonic() > retry_until:
                return -1, b""
            stats.retries += 1
            await asyncio.sleep(0.2)
            continue
        elapsed = time.perf_counter() - t0
        stats.latencies[endpoint].append(elapsed)
        stats.statuses[endpoint][status] += 1
        stats.timeline.append((time.monotonic() - started, endpoint, status))
        if status == 503 and time.monotonic() < retry_until:
            stats.retries += 1
            await asyncio.sleep(min(float(headers.get("retry-after", "1")), 2.0) / 4)
            continue
        if key is not None and endpoint == "submit" and 200 <= status < 300:
            stats.created[key] = json.loads(content)["id"]
        return status, content


async def client(n: int, port: int, seed_: Seed, pools: Pools, stats: Stats, until: float, started: float,
                 grace: float) -> None:
    http = Http(port)
    rng = random.Random(n)
    actions, weights = zip(*MIX, strict=True)
    while time.monotonic() < until:
        action = rng.choices(actions, weights)[0]
        retry_until = until + grace
        if action == "submit" and pools.unsubmitted:
            token, loan_id = pools.unsubmitted.pop()
            body = {"loan_id": loan_id, "language": "ru", "reasons": ["income_loss"], "statement": "Load.",
                    "requested": {"extra_months": 12}, "incomes": incomes()}
            status, content = await call(http, stats, "submit", "POST", "/api/v1/applications", token, body,
                                         started, retry_until)
            if status == 201:
                app_id = json.loads(content)["id"]
                pools.received.append(app_id)
                pools.known.append(app_id)
            elif status < 0:
                stats.gave_up.append(str(loan_id))
        elif action == "simulate":
            body = {"loan_id": rng.choice(seed_.loans), "start_on": "2026-11-25", "incomes": incomes()}
            await call(http, stats, "simulate", "POST", "/api/v1/simulations", seed_.officer, body, started,
                       retry_until)
        elif action == "queue":
            await call(http, stats, "queue", "GET", "/api/v1/applications?limit=50", seed_.rights, None, started)
        elif action == "read" and pools.known:
            await call(http, stats, "read", "GET", f"/api/v1/applications/{rng.choice(pools.known)}",
                       seed_.officer, None, started)
        elif action == "decide" and pools.received:
            app_id = pools.received.pop(0)
            status, _ = await call(http, stats, "decide", "POST", f"/api/v1/applications/{app_id}/decision",
                                   seed_.officer, {"outcome": "counter_offer", "plan": {"extra_months": 6}},
                                   started, retry_until)
            if status == 200:
                pools.proposed.append(app_id)
        elif action == "concur" and pools.proposed:
            app_id = pools.proposed.pop(0)
            await call(http, stats, "concur", "POST", f"/api/v1/applications/{app_id}/approval", seed_.rights,
                       {"verdict": "approve", "comment": ""}, started, retry_until)
        else:
            await asyncio.sleep(0.01)
    await http.close()


async def drive(port: int, seed_: Seed, clients: int, seconds: float, grace: float = 0.0,
                during: Any = None) -> Stats:
    stats = Stats()
    pools = Pools(unsubmitted=list(seed_.borrowers))
    started = time.monotonic()
    until = started + seconds
    tasks = [asyncio.create_task(client(n, port, seed_, pools, stats, until, started, grace))
             for n in range(clients)]
    if during is not None:
        tasks.append(asyncio.create_task(during(started)))
    await asyncio.gather(*tasks)
    return stats


# --- the figures and the checks -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(stats: Stats, seconds: float) -> int:
    print(f"{'endpoint':<10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    fives = 0
    for endpoint, _ in MIX:
        values = stats.latencies.get(endpoint, [])
        counts = stats.statuses.get(endpoint, Counter())
        fives += sum(c for s, c in counts.items() if s >= 500)
        print(f"{endpoint:<10} {len(values):>6} {percentile(values, .5) * 1000:>8.1f} "
              f"{percentile(values, .95) * 1000:>8.1f} {percentile(values, .99) * 1000:>8.1f}  "
              f"{dict(sorted(counts.items()))}")
    total = sum(len(v) for v in stats.latencies.values())
    print(f"requests: {total} in {seconds:.0f} s ({total / seconds:.0f}/s); 5xx: {fives}; "
          f"transport errors: {stats.transport_errors}; retries: {stats.retries}")
    return fives


def check_records(url: str, stats: Stats) -> tuple[int, int, int]:
    """(missing, duplicated, broken chains) over what the clients saw created."""
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = list(stats.created.values())
        rows = Counter(connection.execute(text("SELECT id FROM applications")).scalars())
        missing = sum(1 for i in set(ids) if rows[i] == 0)
        duplicated_ids = len(ids) - len(set(ids))
        per_loan = connection.execute(
            text("SELECT count(*) FROM (SELECT loan_id FROM applications GROUP BY loan_id HAVING count(*) > 1) x")
        ).scalar_one()
        unacknowledged = len(rows) - len(set(ids))
        events: dict[int, list[Any]] = defaultdict(list)
        for row in connection.execute(text(
            "SELECT application_id, seq, from_status, to_status FROM application_events ORDER BY application_id, seq"
        )):
            events[row.application_id].append(row)
        statuses = dict(connection.execute(text("SELECT id, status FROM applications")).all())
    engine.dispose()
    broken = 0
    for app_id, status in statuses.items():
        trail = events.get(app_id, [])
        ok = bool(trail) and [e.seq for e in trail] == list(range(1, len(trail) + 1)) and trail[0].from_status is None
        ok = ok and all(a.to_status == b.from_status for a, b in zip(trail, trail[1:], strict=False))
        ok = ok and trail[-1].to_status == status
        broken += 0 if ok else 1
    print(f"applications the clients saw created: {len(set(ids))}; in the database: {len(rows)} "
          f"(created but never acknowledged: {unacknowledged}); missing: {missing}; "
          f"same id answered twice to different keys: {duplicated_ids}; loans with two applications: {per_loan}; "
          f"broken event chains: {broken} of {len(statuses)}")
    return missing, duplicated_ids + per_loan, broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("TEST_DATABASE_URL",
                                                        "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--borrowers", type=int, default=500)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = create_database(args.url, DATABASE)
    try:
        t0 = time.perf_counter()
        seed_ = seed(url, args.borrowers)
        print(f"seeded {len(seed_.borrowers)} borrowers and loans in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        log = Path(tempfile.gettempdir()) / f"bench_load_{port}.log"
        server = start_server(url, port, args.workers, log)
        try:
            stats = asyncio.run(drive(port, seed_, args.clients, args.seconds))
        finally:
            stop_server(server)
        fives = report(stats, args.seconds)
        missing, duplicated, broken = check_records(url, stats)
        lines = log.read_text(errors="replace").splitlines()
        records = [line for line in lines if line.startswith("{")]
        glued = sum(1 for line in records if line.count('"event":') != 1)
        print(f"log: {len(records)} JSON lines, {glued} glued or split; server log {log}")
        return 1 if (fives or missing or duplicated or broken or glued) else 0
    finally:
        if not args.keep:
            drop_database(args.url, DATABASE)


if __name__ == "__main__":
    sys.exit(main())
