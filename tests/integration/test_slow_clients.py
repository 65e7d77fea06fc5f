"""64 clients sending their bodies at one byte a second, and 16 that never read their answers, leave ``/health``
answering on the shipped server (``restructure serve``: async workers read bodies before the app runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SLOW_SENDERS = 64
SLOW_READERS = 16


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = os.environ | {
        "RESTRUCTURE_DATABASE_URL": f"sqlite:///{tmp_path / 'slow.db'}",
        "RESTRUCTURE_TODAY": "2026-11-25",
    }
    cli = [sys.executable, "-m", "api.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(f"{base}/api/v1/health", time.monotonic() + 60)
        yield port, base
    finally:
        process.terminate()
        process.wait(30)


def test_slow_senders_and_readers_leave_health_answering(server) -> None:  # type: ignore[no-untyped-def]
    port, base = server
    held: list[socket.socket] = []
    try:
        for _ in range(SLOW_SENDERS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(
                b"POST /api/v1/borrowers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            held.append(sock)
        for _ in range(SLOW_READERS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            sock.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")  # and never read
            held.append(sock)
        # with one worker and two app threads, a thread per slow client would have stalled /health long ago
        for second in range(5):
            for sock in held[:SLOW_SENDERS]:
                sock.sendall(b" ")
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as response:  # noqa: S310
                assert response.status == 200, second
            time.sleep(1)
    finally:
        for sock in held:
            sock.close()
