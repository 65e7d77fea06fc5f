"""The async front of ``restructure serve``: bodies are read in full, capped at 1 MiB and bounded in time."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from flask import Flask

from api.asgi import AsgiFront


def _call(app: AsgiFront, scope: dict[str, Any], messages: list[dict[str, Any]], stall: bool = False) -> list[Any]:
    sent: list[dict[str, Any]] = []
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        if not queue:
            await asyncio.sleep(3600 if stall else 0)
        return queue.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def _scope(method: str = "POST", headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": "/api/v1/borrowers",
        "query_string": b"",
        "http_version": "1.1",
        "headers": headers or [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


def test_a_request_reaches_the_app_with_its_whole_body(app: Flask, officer: dict[str, str]) -> None:
    front = AsgiFront(app, threads=1)
    headers = [(b"content-type", b"application/json"), (b"authorization", officer["Authorization"].encode())]
    sent = _call(
        front,
        _scope(headers=headers),
        [
            {"type": "http.request", "body": b'{"iin": ', "more_body": True},
            {"type": "http.request", "body": b'"1"}', "more_body": False},
        ],
    )
    assert sent[0]["status"] == 422  # the app parsed the two chunks as one body
    assert "iin" in json.loads(sent[1]["body"])["errors"]


def test_a_declared_body_over_1_mib_is_a_413_before_reading(app: Flask) -> None:
    front = AsgiFront(app, threads=1)
    scope = _scope(headers=[(b"content-type", b"application/json"), (b"content-length", b"2000000")])
    sent = _call(front, scope, [])
    assert sent[0]["status"] == 413


def test_a_streamed_body_over_1_mib_is_a_413(app: Flask) -> None:
    front = AsgiFront(app, threads=1)
    chunk = {"type": "http.request", "body": b" " * 600_000, "more_body": True}
    sent = _call(front, _scope(), [chunk, chunk])
    assert sent[0]["status"] == 413


def test_a_body_that_stalls_past_the_deadline_is_a_408(app: Flask) -> None:
    front = AsgiFront(app, threads=1, body_timeout=0.05)
    sent = _call(front, _scope(), [{"type": "http.request", "body": b"{", "more_body": True}], stall=True)
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["code"] == "request_timeout"


def test_a_bulk_import_over_1_mib_reaches_the_app(app: Flask, officer: dict[str, str], make_borrower: Any) -> None:
    """The core system's bulk imports take up to 256 MiB (API.md POST /imports/snapshots, thousands of rows)."""
    from tests.conftest import loan_payload

    borrower = make_borrower()
    line = json.dumps(loan_payload(borrower["id"], contract_number="BULK-1")).encode() + b"\n"
    body = line + b"\n" * (1024 * 1024)  # blank lines are skipped: the body is over 1 MiB with one row
    front = AsgiFront(app, threads=1)
    scope = _scope(
        headers=[
            (b"content-type", b"application/x-ndjson"),
            (b"authorization", officer["Authorization"].encode()),
            (b"content-length", str(len(body)).encode()),
        ]
    ) | {"path": "/api/v1/imports/snapshots"}
    half = len(body) // 2
    sent = _call(
        front,
        scope,
        [
            {"type": "http.request", "body": body[:half], "more_body": True},
            {"type": "http.request", "body": body[half:], "more_body": False},
        ],
    )
    assert sent[0]["status"] == 200, sent[1]["body"][:300]
    assert json.loads(sent[1]["body"])["created"] == 1


def test_a_declared_import_over_its_limit_is_a_413(app: Flask) -> None:
    front = AsgiFront(app, threads=1)
    scope = _scope(headers=[(b"content-type", b"text/csv"), (b"content-length", str(257 * 1024 * 1024).encode())])
    sent = _call(front, scope | {"path": "/api/v1/imports/snapshots"}, [])
    assert sent[0]["status"] == 413 and b"268435456 bytes" in sent[1]["body"]
