"""A retry racing the first request still makes one change (PostgreSQL: the key's primary key makes it wait)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select

from api import create_app
from api.runtime import runtime
from restructure.orm import Borrower
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.conftest import app_settings, borrower_payload

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def live_app(database_url: str, engine: Engine) -> Iterator[Flask]:
    """An app on real connections (no test transaction), so concurrent requests really race."""
    app = create_app(app_settings(database_url))
    yield app
    runtime(app).engine.dispose()


def test_eight_racing_retries_with_one_key_create_one_borrower(live_app: Flask) -> None:
    rt = runtime(live_app)
    user = create_user(UnitOfWork(rt.session_factory), name="racer", role="credit_officer", borrower_id=None,
                       now=rt.clock.now())
    payload = borrower_payload()
    headers = {"Authorization": f"Bearer {user.token}", "Idempotency-Key": f"race-{payload['iin']}"}
    barrier = threading.Barrier(8)
    answers: list[Any] = []
    lock = threading.Lock()

    def send() -> None:
        client = live_app.test_client()
        barrier.wait()
        response = client.post("/api/v1/borrowers", json=payload, headers=headers)
        with lock:
            answers.append((response.status_code, response.json))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [status for status, _ in answers] == [201] * 8
    assert len({body["id"] for _, body in answers}) == 1
    with UnitOfWork(rt.session_factory) as work:
        count = work.session.scalar(select(func.count()).select_from(Borrower).where(Borrower.iin == payload["iin"]))
    assert count == 1
