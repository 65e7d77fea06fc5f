"""Idempotency-Key (SPEC §11): a retry replays the first answer and changes nothing; another body is a 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.runtime import runtime
from restructure.idempotency import purge
from restructure.orm import Borrower, IdempotencyKey
from restructure.uow import UnitOfWork
from tests.conftest import application_payload, borrower_payload


def _borrowers(uow: Callable[[], UnitOfWork]) -> int:
    with uow() as work:
        return int(work.session.scalar(select(func.count()).select_from(Borrower)) or 0)


def test_retry_with_the_same_key_replays_the_answer_and_creates_one_borrower(
    client: FlaskClient, officer: dict[str, str], uow: Callable[[], UnitOfWork]
) -> None:
    before = _borrowers(uow)
    payload = borrower_payload()
    headers = officer | {"Idempotency-Key": "borrower-1"}
    first = client.post("/api/v1/borrowers", json=payload, headers=headers)
    second = client.post("/api/v1/borrowers", json=payload, headers=headers)
    assert first.status_code == 201, first.json
    assert second.status_code == 201
    assert second.json == first.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers.get("Location") == first.headers.get("Location")
    assert _borrowers(uow) == before + 1


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(
    client: FlaskClient, officer: dict[str, str], uow: Callable[[], UnitOfWork]
) -> None:
    headers = officer | {"Idempotency-Key": "borrower-2"}
    assert client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers).status_code == 201
    before = _borrowers(uow)
    other = client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers)
    assert other.status_code == 422
    assert other.mimetype == "application/problem+json"
    assert other.json["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json["errors"]
    assert _borrowers(uow) == before


def test_a_refused_request_does_not_use_up_its_key(
    client: FlaskClient, officer: dict[str, str], uow: Callable[[], UnitOfWork]
) -> None:
    headers = officer | {"Idempotency-Key": "borrower-3"}
    bad = client.post("/api/v1/borrowers", json=borrower_payload(iin="123"), headers=headers)
    assert bad.status_code == 422
    good = client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers)
    assert good.status_code == 201
    assert "Idempotent-Replayed" not in good.headers


def test_keys_are_private_to_the_caller(
    client: FlaskClient, token_for: Callable[..., dict[str, str]], uow: Callable[[], UnitOfWork]
) -> None:
    one, two = token_for("credit_officer"), token_for("credit_officer")
    before = _borrowers(uow)
    for headers in (one, two):
        response = client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers | {"Idempotency-Key": "k"})
        assert response.status_code == 201
    assert _borrowers(uow) == before + 2


def test_a_key_and_the_change_it_answers_are_stored_together(
    client: FlaskClient, officer: dict[str, str], make_loan: Callable[..., Any], uow: Callable[[], UnitOfWork]
) -> None:
    loan = make_loan()
    payload = application_payload(loan["id"], channel="office", received_on="2026-11-25")
    headers = officer | {"Idempotency-Key": "application-1"}
    first = client.post("/api/v1/applications", json=payload, headers=headers)
    assert first.status_code == 201, first.json
    with uow() as work:
        row = work.session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == "application-1")).one()
        assert row.status_code == 201
        assert row.path == "/api/v1/applications"
        assert row.request_hash != ""
    again = client.post("/api/v1/applications", json=payload, headers=headers)
    assert again.status_code == 201
    assert again.json["id"] == first.json["id"]


def test_an_invalid_key_is_a_400(client: FlaskClient, officer: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/borrowers", json=borrower_payload(), headers=officer | {"Idempotency-Key": "x" * 256}
    )
    assert response.status_code == 400
    assert response.json["code"] == "invalid_idempotency_key"


def test_keys_older_than_24_hours_are_purged_and_then_free(
    app: Flask, client: FlaskClient, officer: dict[str, str], uow: Callable[[], UnitOfWork]
) -> None:
    headers = officer | {"Idempotency-Key": "old"}
    assert client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers).status_code == 201
    now = runtime(app).clock.now()
    assert purge(uow(), now=now + timedelta(hours=23)) == 0
    assert purge(uow(), now=now + timedelta(hours=24, seconds=1)) >= 1
    with uow() as work:
        assert work.session.get(IdempotencyKey, (_principal_of(officer), "old")) is None
    assert client.post("/api/v1/borrowers", json=borrower_payload(), headers=headers).status_code == 201


def _principal_of(headers: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256(headers["Authorization"].encode()).hexdigest()
