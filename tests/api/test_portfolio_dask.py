"""The what-if on a Dask cluster (issue #17) equals the single-process what-if: the aggregate to the tiyn, the page
item for item, for a plan and for the recommended waterfall, directly and through a job over HTTP.

The workers open their own connections, so the loans must be committed where they can read them: this module builds
a database of its own (a SQLite file, or with TEST_DATABASE_URL a PostgreSQL schema of its own) instead of the
rolled-back transaction of the other tests. Two worker processes, one thread each (``LocalCluster``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import sessionmaker

from api import create_app
from api.runtime import runtime
from restructure import portfolio, portfolio_dask
from restructure.db import make_engine
from restructure.errors import InvalidInput
from restructure.snapshots import incomes_mapping, plan_params
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.api.test_portfolio_loader import VARIANTS
from tests.conftest import TODAY, app_settings, borrower_payload, incomes, loan_payload, reset_schema

distributed = pytest.importorskip("distributed")

START = date(2026, 12, 10)
URL = "/api/v1/portfolio/what-if"


@pytest.fixture(scope="module")
def book_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this module's own with committed loans (see the module's docstring)."""
    if database_url.startswith("postgresql"):
        schema = f"dask_{uuid.uuid4().hex[:12]}"
        base = database_url.split("?")[0]
        admin = make_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}?options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('dask') / 'book.db'}"
    engine = make_engine(url)
    reset_schema(engine)
    engine.dispose()
    yield url
    if database_url.startswith("postgresql"):
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def book_app(book_url: str) -> Iterator[Any]:
    app = create_app(app_settings(book_url))
    yield app
    runtime(app).engine.dispose()


@pytest.fixture(scope="module")
def headers(book_app: Any) -> dict[str, str]:
    rt = runtime(book_app)
    user = create_user(
        UnitOfWork(rt.session_factory), name="dask officer", role="credit_officer", borrower_id=None, now=rt.clock.now()
    )
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture(scope="module")
def book(book_app: Any, headers: dict[str, str]) -> list[int]:
    """Every variant of the loader's test for three borrowers with different flags (33 loans), committed."""
    client = book_app.test_client()
    ids = []
    for flags in (
        {},
        {"vulnerable_categories": ["large_family"], "targeted_social_assistance": True},
        {"emergency_affected": True, "other_monthly_debt_payments": "0.00"},
    ):
        response = client.post("/api/v1/borrowers", json=borrower_payload(**flags), headers=headers)
        assert response.status_code == 201, response.json
        owner = response.json["id"]
        for variant in VARIANTS:
            response = client.post("/api/v1/loans", json=loan_payload(owner, **variant), headers=headers)
            assert response.status_code == 201, response.json
            ids.append(response.json["id"])
    return ids


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two worker processes with one thread each."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _uow(book_app: Any) -> UnitOfWork:
    return UnitOfWork(sessionmaker(bind=runtime(book_app).engine, expire_on_commit=False))


def _incomes(book: list[int]) -> dict[int, Any]:
    return {
        book[0]: incomes_mapping(incomes()),
        book[13]: incomes_mapping(incomes("90000.00", "40000.00")),
        book[30]: incomes_mapping(incomes("900000.00")),
    }


PLANS = [{"payment_cut_pct": "50"}, {}, {"deferral_months": 3, "deferral_of": "principal"}]


@pytest.mark.parametrize("plan", PLANS)
def test_the_distributed_aggregate_and_page_equal_the_single_process_ones(book_app, book_url, book, scheduler, plan):
    request = portfolio.WhatIfRequest(
        start_on=START, plan=plan_params(plan), incomes_by_loan=_incomes(book), limit=7, cursor=book[2]
    )
    seen: list[int] = []
    got = portfolio_dask.what_if_distributed(
        scheduler, book_url, _uow(book_app), request, today=TODAY, progress=seen.append, partition_loans=5
    )
    single = portfolio.what_if(_uow(book_app), request, today=TODAY)
    assert got == single  # every count, both totals to the tiyn, the page with its contract numbers, the cursor
    assert got.aggregate.loans == 33 and got.aggregate.with_incomes == 3 and got.aggregate.feasible > 0
    assert [i.loan_id for i in got.items] == book[3:10]  # the page crosses partitions of 5
    assert got.next_cursor == str(book[9])
    assert len(seen) == 7 and seen[-1] == 33 and seen == sorted(seen)  # 7 partitions, in the order they finish


def test_a_page_at_the_end_of_the_book_has_no_next_cursor(book_app, book_url, book, scheduler):
    request = portfolio.WhatIfRequest(start_on=START, plan=plan_params({}), limit=100, cursor=book[20])
    got = portfolio_dask.what_if_distributed(
        scheduler, book_url, _uow(book_app), request, today=TODAY, partition_loans=4
    )
    assert got == portfolio.what_if(_uow(book_app), request, today=TODAY)
    assert [i.loan_id for i in got.items] == book[21:] and got.next_cursor is None


def test_a_selection_by_loan_ids_is_split_and_merged_the_same(book_app, book_url, book, scheduler):
    chosen = [book[i] for i in (30, 1, 2, 17, 5, 11, 12, 25)]
    request = portfolio.WhatIfRequest(
        start_on=START,
        plan=plan_params({"extra_months": 6}),
        loan_ids=chosen,
        incomes_by_loan={book[17]: incomes_mapping(incomes())},
        limit=5,
    )
    got = portfolio_dask.what_if_distributed(
        scheduler, book_url, _uow(book_app), request, today=TODAY, partition_loans=3
    )
    assert got == portfolio.what_if(_uow(book_app), request, today=TODAY, loader="rows")
    assert got.aggregate.loans == 8 and len(got.items) == 5


def test_the_recommended_waterfall_distributed_equals_the_single_process_one(book_app, book_url, book, scheduler):
    request = portfolio.WhatIfRequest(start_on=START, plan=None, incomes_by_loan=_incomes(book), limit=40)
    got = portfolio_dask.what_if_distributed(
        scheduler, book_url, _uow(book_app), request, today=TODAY, partition_loans=6
    )
    single = portfolio.what_if(_uow(book_app), request, today=TODAY)
    assert got == single
    assert got.aggregate.loans == 33 and len(got.items) == 33
    assert {i.plan["label"] for i in got.items} == {"recommended"}


def test_incomes_for_a_loan_that_does_not_exist_fail_as_in_one_process(book_app, book_url, book, scheduler):
    request = portfolio.WhatIfRequest(
        start_on=START, plan=plan_params({}), incomes_by_loan={book[-1] + 1000: incomes_mapping(incomes())}
    )
    with pytest.raises(InvalidInput) as raised:
        portfolio_dask.what_if_distributed(scheduler, book_url, _uow(book_app), request, today=TODAY, partition_loans=5)
    assert raised.value.errors == {"incomes_by_loan": [f"No loan with id {book[-1] + 1000}."]}


@pytest.mark.parametrize("body", [{"plan": {"payment_cut_pct": "50"}}, {"recommended": True}])
def test_a_job_with_a_scheduler_runs_on_the_cluster_and_answers_what_one_process_answers(
    book_app, book, headers, scheduler, monkeypatch, body
):
    client = book_app.test_client()
    body = {"start_on": START.isoformat()} | body
    direct = client.post(f"{URL}?limit=9&cursor={book[4]}", json=body, headers=headers)
    assert direct.status_code == 200, direct.json

    ran: list[str] = []
    original = portfolio_dask.what_if_distributed

    def spy(address, *args, **kwargs):
        ran.append(address)
        return original(address, *args, **kwargs, partition_loans=4)

    monkeypatch.setattr(portfolio_dask, "what_if_distributed", spy)
    monkeypatch.setitem(book_app.config, "PORTFOLIO_JOB_THRESHOLD", 5)
    monkeypatch.setitem(book_app.config, "PORTFOLIO_RECOMMENDED_JOB_THRESHOLD", 5)
    monkeypatch.setitem(book_app.config["RESTRUCTURE"], "DASK_SCHEDULER", scheduler)
    monkeypatch.setitem(book_app.extensions, "portfolio_jobs_runner", lambda work: work())
    started = client.post(f"{URL}?limit=9&cursor={book[4]}", json=body, headers=headers)
    assert started.status_code == 202, started.json
    job = client.get(started.headers["Location"], headers=headers).json
    assert ran == [scheduler]
    assert (job["status"], job["done"], job["total"], job["progress_pct"], job["error"]) == (
        "done",
        33,
        33,
        "100.0",
        None,
    )
    assert job["result"] == direct.json


def test_a_stale_flag_table_from_the_driver_is_read_again_by_the_worker(book_app, book_url, book):
    """PostgreSQL (the binary COPY): a borrower's flags changed after the driver read the table; the partition is
    computed again on the worker's own table, and the answer is still the single-process one."""
    if not book_url.startswith("postgresql"):
        pytest.skip("the flag table is the binary COPY's")
    from restructure.portfolio_loader import flag_table

    with _uow(book_app) as u:
        texts, values = flag_table(u.session)
    stale = (texts[:1], values[:1])  # as if two of the three borrowers' flags had changed since
    request = portfolio.WhatIfRequest(start_on=START, plan=plan_params({"payment_cut_pct": "50"}), limit=40)
    partition = portfolio_dask.Partition(index=0, id_range=(None, None))
    got = portfolio_dask.run_partition(book_url, request, partition, TODAY, "columns", None, stale)
    assert got == portfolio_dask.partial_of(portfolio.what_if(_uow(book_app), request, today=TODAY))
    assert got.mandatory > 0  # the flags reached R-MANDATORY


def test_ids_with_gaps_are_cut_by_count_and_give_the_same_answer(book_app, book_url, book, scheduler):
    """Runs last: it adds a loan far beyond the others (ids 1..33, then 133), and takes it away again."""
    from sqlalchemy import delete, insert, literal

    from restructure.orm import Loan

    far = book[-1] + 100
    columns = [c for c in Loan.__table__.columns if c.name != "id"]
    values = [literal("FAR-1") if c.name == "contract_number" else c for c in columns]
    engine = runtime(book_app).engine
    with engine.begin() as connection:
        connection.execute(
            insert(Loan).from_select(
                ["id", *[c.name for c in columns]], select(literal(far), *values).where(Loan.id == book[0])
            )
        )
    try:
        request = portfolio.WhatIfRequest(start_on=START, plan=plan_params({}), limit=3, cursor=book[-2])
        parts = portfolio_dask.partitions(_uow(book_app), request, 10)
        assert [p.id_range for p in parts] == [
            (None, book[10]),
            (book[10], book[20]),
            (book[20], book[30]),
            (book[30], None),
        ]
        got = portfolio_dask.what_if_distributed(
            scheduler, book_url, _uow(book_app), request, today=TODAY, partition_loans=10
        )
        assert got == portfolio.what_if(_uow(book_app), request, today=TODAY)
        assert [i.loan_id for i in got.items] == [book[-1], far] and got.aggregate.loans == 34
    finally:
        with engine.begin() as connection:
            connection.execute(delete(Loan).where(Loan.id == far))


def test_the_scheduler_comes_from_the_environment_and_defaults_to_none(tmp_path):
    from api.config import defaults, from_environment

    assert from_environment({"RESTRUCTURE_DASK_SCHEDULER": "tcp://127.0.0.1:8786"}) == {
        "DASK_SCHEDULER": "tcp://127.0.0.1:8786"
    }
    assert defaults(str(tmp_path))["DASK_SCHEDULER"] is None
