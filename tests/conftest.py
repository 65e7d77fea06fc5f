"""Shared fixtures: one migrated database per run, one rolled-back transaction per test.

The database is SQLite (a temporary file) unless ``TEST_DATABASE_URL`` names another, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``. The schema is built by Alembic, never ``create_all()``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import sessionmaker

from api import create_app
from api.cli import alembic_config
from api.runtime import runtime
from restructure.db import make_engine
from restructure.iin import make_iin
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.builders import loan_payload  # noqa: F401  (tests import it from here)

TODAY = date(2026, 11, 25)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _url_from_env().startswith("postgresql"):
        skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


def _url_from_env() -> str:
    return os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite in a temporary file, or a PostgreSQL schema of this run's own (so parallel runs never collide)."""
    url = _url_from_env()
    if not url.startswith("postgresql"):
        yield url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"run_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def reset_schema(engine: Engine) -> None:
    """Build the schema by migration (the database or schema is new to this run)."""
    with engine.begin() as connection:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def app_settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {"DATABASE_URL": database_url, "TODAY": TODAY.isoformat(), "ENV": "test", "SECRET_KEY": "t"} | overrides


@pytest.fixture
def app(database_url: str, connection: Connection) -> Iterator[Flask]:
    """The app, with every unit of work joined to the test's transaction (savepoints stand in for commits)."""
    app = create_app(app_settings(database_url))
    rt = runtime(app)
    rt.engine.dispose()
    rt.session_factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield app
    rt.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def uow(app: Flask) -> Callable[[], UnitOfWork]:
    return lambda: UnitOfWork(runtime(app).session_factory)


@pytest.fixture
def token_for(app: Flask) -> Callable[..., dict[str, str]]:
    """``token_for("credit_officer")`` → request headers with a fresh bearer token for a new user of that role."""

    def make(role: str, borrower_id: int | None = None, name: str | None = None) -> dict[str, str]:
        user = create_user(
            UnitOfWork(runtime(app).session_factory),
            name=name or f"test {role}",
            role=role,
            borrower_id=borrower_id,
            now=runtime(app).clock.now(),
        )
        return {"Authorization": f"Bearer {user.token}"}

    return make


@pytest.fixture
def page_sign_in(app: Flask, client: Any) -> Callable[..., None]:
    """``page_sign_in(headers, lang="en")``: the test client gets a real server-side page session for the bearer
    token in ``headers`` (as the sign-in form opens one), in the page language ``lang``."""
    from restructure.sessions import open_session

    def sign_in(headers: dict[str, str], lang: str = "en") -> None:
        token = headers["Authorization"].removeprefix("Bearer ")
        opened = open_session(UnitOfWork(runtime(app).session_factory), token, now=runtime(app).clock.now())
        assert opened is not None
        with client.session_transaction() as session:
            session["sid"] = opened.session_id
            session["lang"] = lang

    return sign_in


_serial = iter(range(1, 9000))
_issued: set[str] = set()


def new_iin(born: date = date(1990, 4, 12), female: bool = False) -> str:
    """A fresh IIN: make_iin advances past invalid serials, so serials n and n + 1 may give the same one."""
    while True:
        iin = make_iin(born, female=female, serial=next(_serial))
        if iin not in _issued:
            _issued.add(iin)
            return iin


def borrower_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "iin": new_iin(),
        "full_name": "Test Borrower",
        "language": "ru",
        "vulnerable_categories": [],
        "targeted_social_assistance": False,
        "emergency_affected": False,
        "other_monthly_debt_payments": "20000.00",
    } | overrides


@pytest.fixture
def officer(token_for: Callable[..., dict[str, str]]) -> dict[str, str]:
    return token_for("credit_officer")


@pytest.fixture
def make_borrower(client: FlaskClient, officer: dict[str, str]) -> Callable[..., dict[str, Any]]:
    def make(**overrides: Any) -> dict[str, Any]:
        response = client.post("/api/v1/borrowers", json=borrower_payload(**overrides), headers=officer)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_loan(client: FlaskClient, officer: dict[str, str], make_borrower: Callable[..., Any]) -> Callable[..., Any]:
    def make(borrower_id: int | None = None, **overrides: Any) -> dict[str, Any]:
        borrower_id = borrower_id or make_borrower()["id"]
        response = client.post("/api/v1/loans", json=loan_payload(borrower_id, **overrides), headers=officer)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    return make


def incomes(before: str = "300000.00", recent: str | None = None, month: date = TODAY) -> list[dict[str, str]]:
    """The 12 monthly incomes before ``month``'s month: ``before`` for the first ten, ``recent`` for the last two."""
    index = month.year * 12 + month.month - 1
    out = []
    for back in range(12, 0, -1):
        i = index - back
        amount = recent if (recent is not None and back <= 2) else before
        out.append({"month": f"{i // 12:04d}-{i % 12 + 1:02d}", "amount": amount})
    return out


def application_payload(loan_id: int, **overrides: Any) -> dict[str, Any]:
    return {
        "loan_id": loan_id,
        "language": "ru",
        "reasons": ["income_loss"],
        "statement": "Сократили зарплату.",
        "requested": {"extra_months": 12},
        "incomes": incomes(),
    } | overrides


@pytest.fixture
def make_application(
    client: FlaskClient, officer: dict[str, str], make_loan: Callable[..., Any]
) -> Callable[..., dict[str, Any]]:
    """Register an application as an officer (office channel, received today unless given)."""

    def make(loan_id: int | None = None, **overrides: Any) -> dict[str, Any]:
        loan_id = loan_id or make_loan()["id"]
        payload = application_payload(loan_id, channel="office", received_on=TODAY.isoformat()) | overrides
        response = client.post("/api/v1/applications", json=payload, headers=officer)
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[no-any-return]

    return make
