"""The recommended waterfall over more stored loans than the inline cap runs as a job (issue #17): 202, progress by
chunks of the waterfall, then the result, whose per-loan items are those the inline path gives on a smaller set."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, literal, select

from restructure import portfolio, portfolio_jobs
from restructure.orm import Loan
from tests.api.test_portfolio_loader import VARIANTS
from tests.conftest import incomes, loan_payload

URL = "/api/v1/portfolio/what-if"
START = "2026-12-10"


@pytest.fixture
def deferred(app):
    """Jobs wait in this list until the test runs them (the service runs them in a thread)."""
    queue: list = []
    app.extensions["portfolio_jobs_runner"] = queue.append
    return queue


@pytest.fixture
def variants(make_loan, make_borrower):
    """The loader test's variants for three borrowers with different flags: 33 loan ids."""
    ids = []
    for flags in (
        {},
        {"vulnerable_categories": ["large_family"], "targeted_social_assistance": True},
        {"emergency_affected": True, "other_monthly_debt_payments": "0.00"},
    ):
        owner = make_borrower(**flags)["id"]
        for variant in VARIANTS:
            payload = loan_payload(owner, **variant)
            ids.append(make_loan(owner, **{k: v for k, v in payload.items() if k != "borrower_id"})["id"])
    return ids


@pytest.fixture
def big_book(connection, variants):
    """The 33 variants and 62 copies of each (a contract number of their own): 2,079 loans, more than the inline
    cap of 2000. Copied in SQL inside the test's transaction (through the API it would take a minute)."""
    columns = [c for c in Loan.__table__.columns if c.name != "id"]
    for copy in range(1, 63):
        chosen = [literal(f"-{copy}").op("||")(c) if c.name == "contract_number" else c for c in columns]
        connection.execute(
            insert(Loan).from_select(
                [c.name for c in columns], select(*chosen).where(Loan.id.in_(variants)).order_by(Loan.id)
            )
        )
    ids = list(connection.scalars(select(Loan.id).order_by(Loan.id)))
    assert len(ids) == 2079
    return ids


def _run_with_progress(client, officer, deferred, monkeypatch):
    """Run the deferred job; every progress write, as ``GET`` saw it at that moment."""
    seen = []
    original = portfolio_jobs._set

    def spy(uow, job_id, **values):
        original(uow, job_id, **values)
        if "done" in values and "result" not in values:
            got = client.get(f"/api/v1/portfolio/jobs/{job_id}", headers=officer).json
            seen.append((got["status"], got["done"], got["progress_pct"]))

    monkeypatch.setattr(portfolio_jobs, "_set", spy)
    deferred.pop()()
    return seen


def test_a_waterfall_job_over_more_loans_than_the_old_cap_gives_progress_then_the_inline_items(
    app, client, officer, deferred, big_book, monkeypatch
):
    with_incomes = {
        str(big_book[i]): incomes(recent=amount)
        for i, amount in ((40, "60000.00"), (41, None), (50, "100000.00"), (2000, "60000.00"))
    }
    body = {"start_on": START, "recommended": True, "incomes_by_loan": with_incomes}
    response = client.post(f"{URL}?limit=30&cursor={big_book[29]}", json=body, headers=officer)
    assert response.status_code == 202, response.json
    assert (response.json["status"], response.json["total"], response.json["done"]) == ("queued", 2079, 0)

    seen = _run_with_progress(client, officer, deferred, monkeypatch)
    # a report every 256 loans (RECOMMENDED_CHUNK), then the last
    assert [done for _, done, _ in seen] == [*range(256, 2079, 256), 2079]
    assert seen[0] == ("running", 256, "12.3") and seen[-1] == ("running", 2079, "100.0")

    job = client.get(response.headers["Location"], headers=officer).json
    assert (job["status"], job["done"], job["total"], job["progress_pct"], job["error"]) == (
        "done",
        2079,
        2079,
        "100.0",
        None,
    )
    result = job["result"]
    assert result["aggregate"]["loans"] == 2079 and result["aggregate"]["with_incomes"] == 4
    assert [i["loan_id"] for i in result["items"]] == big_book[30:60]
    assert result["next_cursor"] == str(big_book[59])

    # the inline path on the same 30 loans (under the cap) gives the same items
    page = big_book[30:60]
    small = {
        "start_on": START,
        "recommended": True,
        "loan_ids": page,
        "incomes_by_loan": {k: v for k, v in with_incomes.items() if int(k) in page},
    }
    inline = client.post(f"{URL}?limit=30", json=small, headers=officer)
    assert inline.status_code == 200, inline.json
    assert inline.json["items"] == result["items"]
    assert {i["plan"]["label"] for i in result["items"]} == {"recommended"}
    assert sum(i["target_met"] is not None for i in result["items"]) == 3  # the three with incomes on the page


def test_a_waterfall_job_over_loan_ids_answers_what_the_inline_path_answers(
    app, client, officer, deferred, variants, monkeypatch
):
    chosen = variants[3:10]
    body = {
        "start_on": START,
        "recommended": True,
        "loan_ids": chosen,
        "incomes_by_loan": {str(chosen[1]): incomes(recent="60000.00")},
    }
    direct = client.post(f"{URL}?limit=4", json=body, headers=officer)
    assert direct.status_code == 200

    app.config["PORTFOLIO_RECOMMENDED_JOB_THRESHOLD"] = 5  # 7 loans > 5: a job
    monkeypatch.setattr(portfolio, "RECOMMENDED_CHUNK", 3)
    monkeypatch.setattr(portfolio, "MAX_RECOMMENDED", 2)  # the inline cap does not bound a job
    response = client.post(f"{URL}?limit=4", json=body, headers=officer)
    assert response.status_code == 202, response.json
    seen = _run_with_progress(client, officer, deferred, monkeypatch)
    assert seen == [("running", 3, "42.9"), ("running", 6, "85.7"), ("running", 7, "100.0")]
    job = client.get(response.headers["Location"], headers=officer).json
    assert job["status"] == "done" and job["result"] == direct.json


def test_a_waterfall_beyond_the_job_bound_is_a_422_and_starts_no_job(
    app, client, officer, deferred, variants, monkeypatch
):
    app.config["PORTFOLIO_RECOMMENDED_JOB_THRESHOLD"] = 5
    monkeypatch.setattr(portfolio_jobs, "MAX_RECOMMENDED_JOB", 32)
    response = client.post(URL, json={"start_on": START, "recommended": True}, headers=officer)
    assert response.status_code == 422
    assert "at most 32 loans" in response.json["detail"] and "recommended" in response.json["errors"]
    assert deferred == []


def test_inline_loans_never_become_a_waterfall_job(app, client, officer, deferred, monkeypatch):
    app.config["PORTFOLIO_RECOMMENDED_JOB_THRESHOLD"] = 0
    monkeypatch.setattr(portfolio, "MAX_RECOMMENDED", 1)
    loan = {k: v for k, v in loan_payload(1).items() if k != "borrower_id"}
    response = client.post(
        URL,
        json={"start_on": START, "recommended": True, "loans": [loan, loan | {"contract_number": "X-2"}]},
        headers=officer,
    )
    assert response.status_code == 422 and "at most 1 loans" in response.json["detail"]
    assert deferred == []
