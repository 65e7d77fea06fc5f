"""While the database is unreachable: 503 unavailable with Retry-After, one short log line, no traceback."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from api.runtime import runtime


class _Down:
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {"iin": "900101300123"}, Exception("connection refused"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_api_calls_answer_503_while_the_database_is_down(
    app: Flask, client: FlaskClient, officer: dict[str, str], method: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime(app).session_factory = _Down()  # type: ignore[assignment]
    response = getattr(client, method)("/api/v1/applications" if method == "get" else "/api/v1/borrowers",
                                       json=None if method == "get" else {}, headers=officer)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "unavailable"
    assert response.headers["Retry-After"] == "2"
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "database_unavailable" in line]
    assert len(lines) == 1
    assert "Traceback" not in err
    assert "900101300123" not in err


def test_an_idempotent_post_answers_503_while_the_database_is_down(
    app: Flask, client: FlaskClient, officer: dict[str, str]
) -> None:
    runtime(app).session_factory = _Down()  # type: ignore[assignment]
    response = client.post("/api/v1/borrowers", json={}, headers=officer | {"Idempotency-Key": "down-1"})
    assert response.status_code == 503
    assert response.json["code"] == "unavailable"


def test_the_engine_hides_statement_parameters(app: Flask) -> None:
    assert runtime(app).engine.hide_parameters is True


def test_losing_the_database_while_storing_the_answer_is_a_503_and_nothing_is_kept(
    client: FlaskClient, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import borrower_payload

    def lost(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("UPDATE idempotency_keys", {}, Exception("server closed the connection"))

    monkeypatch.setattr("api.idempotency.complete", lost)
    payload = borrower_payload()
    headers = officer | {"Idempotency-Key": "lost-1"}
    response = client.post("/api/v1/borrowers", json=payload, headers=headers)
    assert response.status_code == 503
    assert response.json["code"] == "unavailable"
    monkeypatch.undo()
    retry = client.post("/api/v1/borrowers", json=payload, headers=headers)
    assert retry.status_code == 201  # the first attempt was rolled back whole: the retry creates the borrower
    assert "Idempotent-Replayed" not in retry.headers
