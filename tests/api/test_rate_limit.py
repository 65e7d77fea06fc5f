"""Bad tokens and failed sign-ins are limited per client address; good tokens are never slowed (SPEC §11)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from api import create_app
from api.runtime import runtime
from tests.api.test_sessions import _csrf
from tests.conftest import app_settings

_apps: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose() -> Iterator[None]:
    """Close the pools of the apps a test built (PostgreSQL warns about connections left to the collector)."""
    yield
    while _apps:
        runtime(_apps.pop()).engine.dispose()


def _app(database_url: str, limit: str = "3/minute", **settings: str) -> Flask:
    app = create_app(app_settings(database_url, AUTH_FAILURE_LIMIT=limit, **settings))
    _apps.append(app)
    return app


def test_the_fourth_bad_token_in_a_minute_is_a_429_problem(database_url: str, engine: Engine) -> None:
    client = _app(database_url).test_client()
    bad = {"Authorization": "Bearer not-a-token"}
    statuses = [client.get("/api/v1/applications", headers=bad).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.get("/api/v1/applications", headers=bad)
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "too_many_requests"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_another_address_is_not_limited(database_url: str, engine: Engine) -> None:
    client = _app(database_url).test_client()
    bad = {"Authorization": "Bearer not-a-token"}
    for _ in range(3):
        client.get("/api/v1/applications", headers=bad)
    other = client.get("/api/v1/applications", headers=bad, environ_base={"REMOTE_ADDR": "127.0.0.2"})
    assert other.status_code == 401


def test_requests_without_a_token_do_not_use_up_the_allowance(database_url: str, engine: Engine) -> None:
    client = _app(database_url).test_client()
    for _ in range(5):
        assert client.get("/api/v1/applications").status_code == 401


def test_failed_sign_ins_on_the_pages_are_limited(database_url: str, engine: Engine) -> None:
    app = _app(database_url)
    client = app.test_client()
    statuses = [
        client.post("/sign-in", data={"token": "guess", "csrf_token": _csrf(client)}).status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_a_good_token_waits_too_while_its_address_is_limited(
    app: Flask, client: FlaskClient, officer: dict[str, str]
) -> None:
    app.extensions["restructure_failure_limit"] = __import__("limits").parse("2/minute")
    for _ in range(2):
        client.get("/api/v1/applications", headers={"Authorization": "Bearer wrong"})
    assert client.get("/api/v1/applications", headers={"Authorization": "Bearer wrong"}).status_code == 429
    # the limit is per address, so the good token from the same address waits too; it does not count a failure
    assert client.get("/api/v1/applications", headers=officer).status_code == 429


def test_the_counters_live_in_redis_when_configured(database_url: str, engine: Engine) -> None:
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    url = "redis://127.0.0.1:6379/15"
    address = f"127.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"  # a fresh counter in the shared store
    bad = {"Authorization": "Bearer not-a-token"}
    one = _app(database_url, "2/minute", REDIS_URL=url).test_client()
    two = _app(database_url, "2/minute", REDIS_URL=url).test_client()
    environ = {"REMOTE_ADDR": address}
    assert one.get("/api/v1/applications", headers=bad, environ_base=environ).status_code == 401
    assert two.get("/api/v1/applications", headers=bad, environ_base=environ).status_code == 401
    # a second app (another worker) sees the failures the first one counted
    assert one.get("/api/v1/applications", headers=bad, environ_base=environ).status_code == 429


def test_behind_one_proxy_the_forwarded_address_is_the_client(database_url: str, engine: Engine) -> None:
    client = _app(database_url, "2/minute", PROXIES="1").test_client()
    bad = {"Authorization": "Bearer not-a-token"}
    for _ in range(2):
        client.get("/api/v1/applications", headers=bad | {"X-Forwarded-For": "10.1.1.1"})
    assert client.get("/api/v1/applications", headers=bad | {"X-Forwarded-For": "10.1.1.1"}).status_code == 429
    assert client.get("/api/v1/applications", headers=bad | {"X-Forwarded-For": "10.1.1.2"}).status_code == 401
