"""Browser tests: a live server on 127.0.0.1 (a werkzeug thread) over a migrated SQLite file, driven by Debian's
Chromium through Playwright's sync API (never ``playwright install``).

Screenshots go to ``$E2E_SCREENSHOTS`` when it is set (``scripts/screenshots.py`` points it at
``docs/screenshots``), else to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from api import create_app
from api.runtime import runtime
from restructure.borrowers import BorrowerData, register_borrower
from restructure.loans import LoanData, register_loan
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.builders import loan_data
from tests.conftest import app_settings, new_iin, reset_schema

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    pytest.skip(f"Debian chromium is not installed at {CHROMIUM}", allow_module_level=True)


@dataclass(frozen=True)
class Seeded:
    """Tokens and ids the tests sign in with (tokens travel only in form bodies, never in URLs)."""

    base_url: str
    borrower: str
    borrower_loan: int
    other_borrower: str
    other_loan: int
    officer: str
    rights: str


def _loan(borrower_id: int) -> LoanData:
    return loan_data(borrower_id)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The app on a free port, with two borrowers (a loan each), a credit officer and a rights officer."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    engine = create_engine(url)
    reset_schema(engine)
    engine.dispose()
    app = create_app(app_settings(url, SECRET_KEY="e2e-secret"))
    rt = runtime(app)

    def uow() -> UnitOfWork:
        return UnitOfWork(rt.session_factory)

    today, now = rt.clock.today(), rt.clock.now()
    people = []
    for name, language in (("Айгүл Сейітова", "kk"), ("Other Borrower", "ru")):
        borrower = register_borrower(
            uow(),
            BorrowerData(
                iin=new_iin(), full_name=name, language=language, other_monthly_debt_payments=Decimal("20000.00")
            ),
            today=today,
            now=now,
        )
        loan = register_loan(uow(), _loan(borrower.id), today=today, now=now).loan
        token = create_user(uow(), name=name, role="borrower", borrower_id=borrower.id, now=now).token
        people.append((token, loan.id))
    officer = create_user(uow(), name="Officer", role="credit_officer", borrower_id=None, now=now).token
    rights = create_user(uow(), name="Rights", role="rights_officer", borrower_id=None, now=now).token

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Seeded(
        base_url=f"http://127.0.0.1:{httpd.server_port}",
        borrower=people[0][0],
        borrower_loan=people[0][1],
        other_borrower=people[1][0],
        other_loan=people[1][1],
        officer=officer,
        rights=rights,
    )
    httpd.shutdown()
    thread.join(timeout=10)
    rt.engine.dispose()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's Chromium, headless, with the flags this machine's closed network needs; Playwright gives each
    launch a fresh temporary profile (user-data-dir)."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Any, str], None]:
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page: Any, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def new_page(browser: Any, server: Seeded) -> Iterator[Callable[..., Any]]:
    """``new_page(locale="ru-RU", viewport=...)``: a page in a fresh context (its own cookies)."""
    contexts = []

    def make(locale: str = "ru-RU", **options: Any) -> Any:
        context = browser.new_context(base_url=server.base_url, locale=locale, **options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def go(page: Any, selector: str) -> None:
    """Click a link or a submit button and wait for the page it loads."""
    with page.expect_navigation():
        page.click(selector)


def sign_in(page: Any, token: str) -> None:
    page.goto("/")
    page.fill("#token", token)
    go(page, "form button[type=submit]")
