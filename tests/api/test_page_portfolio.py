"""The console's portfolio what-if (issue #17): the totals of a small book on the page, a progress bar while a
large one runs as a job, then its totals; staff only."""

from __future__ import annotations

import re

import pytest

from api.runtime import runtime
from tests.conftest import loan_payload

PAGE = "/console/portfolio"


@pytest.fixture
def book(make_loan, make_borrower):
    owner = make_borrower()["id"]
    return [make_loan(owner, **{k: v for k, v in loan_payload(owner).items() if k != "borrower_id"})["id"]
            for _ in range(4)]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _run(client, plan: str, start_on: str = "2026-12-10"):
    form = client.get(PAGE)
    assert form.status_code == 200
    return client.post(PAGE, data={"csrf_token": _csrf(form.text), "plan": plan, "start_on": start_on, "back": PAGE})


def test_a_small_book_shows_its_totals_on_the_page(app, client, officer, page_sign_in, book):
    page_sign_in(officer)
    shown = _run(client, "payment_cut_50")
    assert shown.status_code == 200
    text = shown.text
    assert "Totals over the whole book" in text
    loans = re.search(r"<dt>Loans</dt><dd>(\d+)</dd>", text)
    assert loans is not None and int(loans.group(1)) == 4
    assert text.count("<tr><td>T-") == 4  # each loan listed with its contract number


def test_a_large_book_runs_as_a_job_with_a_progress_bar_then_its_totals(app, client, officer, page_sign_in, book):
    queue: list = []
    app.config["PORTFOLIO_JOB_THRESHOLD"] = 2
    app.extensions["portfolio_jobs_runner"] = queue.append
    if runtime(app).session_factory.kw["bind"].dialect.name == "postgresql":
        app.config["PORTFOLIO_LOADER"] = "rows"  # one shared test connection (see test_portfolio_jobs.py)
    page_sign_in(officer)
    started = _run(client, "term_extension_12")
    assert started.status_code == 302
    job_page = started.headers["Location"]
    waiting = client.get(job_page)
    assert waiting.status_code == 200
    assert '<progress id="progress" max="4" value="0"' in waiting.text
    assert 'http-equiv="refresh"' in waiting.text and "0 of 4 loans" in waiting.text
    queue.pop()()  # the job runs
    finished = client.get(job_page)
    assert '<progress id="progress" max="4" value="4"' in finished.text
    assert 'http-equiv="refresh"' not in finished.text
    assert "Totals over the whole book" in finished.text


def test_a_bad_plan_or_day_is_refused_with_the_reason_and_runs_nothing(app, client, officer, page_sign_in, book):
    app.extensions["portfolio_jobs_runner"] = lambda work: pytest.fail("no job may start")
    page_sign_in(officer)
    refused = _run(client, "no-such-plan")
    assert refused.status_code == 302
    assert "Choose one of the plans" in client.get(refused.headers["Location"]).text
    late = _run(client, "payment_cut_50", start_on="2200-01-01")
    assert late.status_code == 302 and "start_on" in client.get(late.headers["Location"]).text


def test_a_borrower_may_not_open_it(app, client, token_for, page_sign_in, make_borrower):
    borrower = make_borrower()
    page_sign_in(token_for("borrower", borrower_id=borrower["id"]))
    assert client.get(PAGE).status_code == 403
