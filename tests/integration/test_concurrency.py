"""Racing requests on PostgreSQL, with real commits in a schema of their own: exactly one winner, never corruption."""

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from api import create_app
from api.runtime import runtime
from restructure.db import make_engine
from restructure.deadlines import sweep
from restructure.orm import ApplicationEvent
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.conftest import app_settings, application_payload, borrower_payload, loan_payload, reset_schema

pytestmark = pytest.mark.postgres_only
URL = "/api/v1/applications"


@pytest.fixture
def live() -> Iterator[Flask]:
    """An app on a freshly migrated PostgreSQL schema whose requests really commit."""
    base = os.environ["TEST_DATABASE_URL"]
    schema = f"race_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    reset_schema(engine)
    engine.dispose()
    app = create_app(app_settings(url))
    yield app
    runtime(app).engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def headers(app: Flask, role: str, borrower_id: int | None = None) -> dict[str, str]:
    rt = runtime(app)
    user = create_user(
        UnitOfWork(rt.session_factory), name=role, role=role, borrower_id=borrower_id, now=rt.clock.now()
    )
    return {"Authorization": f"Bearer {user.token}"}


def post(app: Flask, path: str, body: dict[str, Any], auth: dict[str, str]) -> Any:
    response = app.test_client().post(path, json=body, headers=auth)
    return response


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same instant on its own thread."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def new_loan(app: Flask, officer: dict[str, str]) -> dict[str, Any]:
    borrower = post(app, "/api/v1/borrowers", borrower_payload(), officer).json
    return post(app, "/api/v1/loans", loan_payload(borrower["id"]), officer).json  # type: ignore[no-any-return]


def new_application(app: Flask, officer: dict[str, str]) -> dict[str, Any]:
    loan = new_loan(app, officer)
    payload = application_payload(loan["id"], channel="office", received_on="2026-11-25")
    response = post(app, URL, payload, officer)
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def events_of(app: Flask, application_id: int, kind: str) -> int:
    with UnitOfWork(runtime(app).session_factory) as uow:
        return int(
            uow.session.scalar(
                select(func.count(ApplicationEvent.id)).where(
                    ApplicationEvent.application_id == application_id, ApplicationEvent.kind == kind
                )
            )
            or 0
        )


@pytest.mark.parametrize("attempt", range(3))
def test_two_approvals_racing_on_one_decision_give_one_winner(live, attempt):
    officer = headers(live, "credit_officer")
    first_rights, second_rights = headers(live, "rights_officer"), headers(live, "rights_officer")
    application = new_application(live, officer)
    assert post(live, f"{URL}/{application['id']}/decision", {"outcome": "accept"}, officer).status_code == 200
    body = {"verdict": "approve", "comment": ""}
    results = race(
        lambda: post(live, f"{URL}/{application['id']}/approval", body, first_rights),
        lambda: post(live, f"{URL}/{application['id']}/approval", body, second_rights),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    assert events_of(live, application["id"], "decision_approved") == 1


def test_two_decisions_racing_give_one_winner(live):
    first, second = headers(live, "credit_officer"), headers(live, "credit_officer")
    application = new_application(live, first)
    results = race(
        lambda: post(live, f"{URL}/{application['id']}/decision", {"outcome": "accept"}, first),
        lambda: post(
            live,
            f"{URL}/{application['id']}/decision",
            {"outcome": "counter_offer", "plan": {"extra_months": 6}},
            second,
        ),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    assert events_of(live, application["id"], "decision_proposed") == 1


def test_an_approval_racing_a_withdrawal_gives_one_winner(live):
    officer, rights = headers(live, "credit_officer"), headers(live, "rights_officer")
    loan = new_loan(live, officer)
    me = headers(live, "borrower", loan["borrower_id"])
    application = post(live, URL, application_payload(loan["id"]), me).json
    post(live, f"{URL}/{application['id']}/decision", {"outcome": "accept"}, officer)
    results = race(
        lambda: post(live, f"{URL}/{application['id']}/approval", {"verdict": "approve"}, rights),
        lambda: post(live, f"{URL}/{application['id']}/withdrawal", {}, me),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    final = live.test_client().get(f"{URL}/{application['id']}", headers=officer).json
    winner = next(r for r in results if r.status_code == 200).json
    assert final["status"] == winner["status"] in ("agreed", "withdrawn")


def test_two_submissions_for_one_loan_leave_one_open_application(live):
    officer = headers(live, "credit_officer")
    loan = new_loan(live, officer)
    me = headers(live, "borrower", loan["borrower_id"])
    results = race(
        lambda: post(live, URL, application_payload(loan["id"]), me),
        lambda: post(live, URL, application_payload(loan["id"], channel="office", received_on="2026-11-24"), officer),
    )
    assert sorted(r.status_code for r in results) == [201, 409]


def test_sweepers_on_two_instances_lapse_each_counter_offer_exactly_once(live):
    officer, rights = headers(live, "credit_officer"), headers(live, "rights_officer")
    ids = []
    for _ in range(8):
        application = new_application(live, officer)
        post(
            live,
            f"{URL}/{application['id']}/decision",
            {"outcome": "counter_offer", "plan": {"extra_months": 6}},
            officer,
        )
        assert post(live, f"{URL}/{application['id']}/approval", {"verdict": "approve"}, rights).status_code == 200
        ids.append(application["id"])
    rt = runtime(live)

    def run_sweep() -> Any:
        return sweep(lambda: UnitOfWork(rt.session_factory), today=date(2027, 2, 1), now=rt.clock.now())

    first, second = race(run_sweep, run_sweep)
    lapsed = Counter(first.lapsed + second.lapsed)
    assert set(lapsed) == set(ids)
    assert max(lapsed.values()) == 1
    assert all(events_of(live, i, "lapsed") == 1 for i in ids)
    again = run_sweep()
    assert again.lapsed == [] and again.breaches == []


def test_two_newer_snapshots_of_one_day_racing_store_one(live):
    from api.clock import FixedClock

    officer = headers(live, "credit_officer")
    loan = new_loan(live, officer)
    runtime(live).clock = FixedClock(date(2026, 12, 10))
    body = {
        "as_of": "2026-12-10", "outstanding_principal": "450000.00", "overdue_principal": "40000.00",
        "overdue_interest": "30000.00", "penalties": "3000.00", "overdue_since": "2026-10-10",
        "remaining_term_months": 17, "scheduled_payment": "35428.09", "next_payment_on": "2027-01-10",
    }

    def put() -> int:
        return live.test_client().put(f"/api/v1/loans/{loan['id']}/snapshot", json=body, headers=officer).status_code

    assert sorted(race(put, put)) == [200, 409]
    history = live.test_client().get(f"/api/v1/loans/{loan['id']}/snapshots", headers=officer).json["items"]
    assert [h["as_of"] for h in history] == ["2026-11-20", "2026-12-10"]


def test_a_delivery_racing_the_sweeper_either_moves_the_period_or_finds_it_lapsed(live):
    from api.clock import FixedClock

    officer, rights = headers(live, "credit_officer"), headers(live, "rights_officer")
    application = new_application(live, officer)
    url = f"{URL}/{application['id']}"
    post(live, f"{url}/decision", {"outcome": "counter_offer", "plan": {"extra_months": 6}}, officer)
    assert post(live, f"{url}/approval", {"verdict": "approve"}, rights).json["response_due_on"] == "2026-12-25"
    rt = runtime(live)
    rt.clock = FixedClock(date(2026, 12, 27))

    def deliver() -> int:
        return post(live, f"{url}/delivery", {"channel": "post", "delivered_on": "2026-12-20"}, officer).status_code

    def run_sweep() -> Any:
        return sweep(lambda: UnitOfWork(rt.session_factory), today=date(2026, 12, 27), now=rt.clock.now())

    delivered, report = race(deliver, run_sweep)
    final = live.test_client().get(url, headers=officer).json
    if delivered == 200:
        assert application["id"] not in report.lapsed
        assert (final["status"], final["response_due_on"]) == ("awaiting_borrower", "2027-01-19")
    else:
        assert delivered == 409 and report.lapsed == [application["id"]]
        assert final["status"] == "lapsed"
