"""The complaint register in a real browser (Debian chromium): the cabinet files, follows and reads the answer;
the console's register, a complaint's page with its trail and each role's action, the quarterly analysis.
Desktop 1280 px and phone 390 px, in Kazakh and Russian."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from api import create_app
from api.runtime import runtime
from restructure.access import Actor
from restructure.borrowers import BorrowerData, register_borrower
from restructure.complaints_demo import seed_complaints
from restructure.loans import register_loan
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.conftest import app_settings, new_iin, reset_schema
from tests.e2e.conftest import _loan, go, sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Register:
    base_url: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def register_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    """A live app with a borrower, every staff role and the demo complaints (one in every state)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-complaints') / 'c.db'}"
    engine = create_engine(url)
    reset_schema(engine)
    engine.dispose()
    app = create_app(app_settings(url, SECRET_KEY="e2e-secret"))
    rt = runtime(app)

    def uow() -> UnitOfWork:
        return UnitOfWork(rt.session_factory)

    today, now = rt.clock.today(), rt.clock.now()
    borrower = register_borrower(
        uow(),
        BorrowerData(
            iin=new_iin(), full_name="Айгүл Сейітова", language="kk", other_monthly_debt_payments=Decimal("0.00")
        ),
        today=today,
        now=now,
    )
    register_loan(uow(), _loan(borrower.id), today=today, now=now)
    tokens = {"borrower": create_user(uow(), name="B", role="borrower", borrower_id=borrower.id, now=now).token}
    staff: dict[str, Actor] = {}
    for role in ("credit_officer", "rights_officer", "admin"):
        user = create_user(uow(), name=role, role=role, borrower_id=None, now=now)
        staff[role], tokens[role] = Actor(user.user_id, role), user.token
    for role, token in seed_complaints(uow, staff, borrower.id, today=today, now=now, echo=lambda _: None):
        tokens[role] = token
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Register(base_url=f"http://127.0.0.1:{httpd.server_port}", tokens=tokens)
    httpd.shutdown()
    thread.join(timeout=10)
    rt.engine.dispose()


@pytest.fixture
def open_page(browser: Any, register_server: Register) -> Iterator[Any]:
    contexts = []

    def make(locale: str, viewport: dict[str, int]) -> Any:
        context = browser.new_context(base_url=register_server.base_url, locale=locale, viewport=viewport)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def complaint_id_of(page: Any) -> int:
    match = re.search(r"/complaints/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


@pytest.mark.parametrize(
    ("locale", "viewport", "shot"),
    [("kk-KZ", DESKTOP, "20-cabinet-complaint-kk"), ("ru-RU", PHONE, "21-phone-cabinet-complaint-ru")],
)
def test_the_borrower_files_a_complaint_and_follows_it(register_server, open_page, screenshots, locale, viewport, shot):
    page = open_page(locale, viewport)
    sign_in(page, register_server.tokens["borrower"])
    go(page, "header a[href='/cabinet/complaints']")
    heading = {"kk-KZ": "Менің шағымдарым", "ru-RU": "Мои обращения и жалобы"}[locale]
    assert page.locator("h1").inner_text() == heading
    page.select_option("#category", "penalty_calculation")
    page.fill("#text", "Айыппұл екі рет есептелді." if locale == "kk-KZ" else "Пеня начислена дважды.")
    go(page, "form.form button[type=submit]")
    assert "/cabinet/complaints/" in page.url
    assert re.search(r"IN-2026-0000\d\d", page.locator("h1").inner_text())
    assert "10.12.2026" in page.content()  # received 25.11 + 15 days
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshots(page, shot)


def test_the_borrower_reads_the_answer_and_cannot_see_another_complaint(register_server, open_page):
    page = open_page("ru-RU", DESKTOP)
    sign_in(page, register_server.tokens["borrower"])
    go(page, "header a[href='/cabinet/complaints']")
    assert page.locator("[data-complaint]").count() >= 2  # the demo's registered and withdrawn ones
    response = page.goto("/cabinet/complaints/3")  # an e-mail complaint of a named applicant, not this borrower
    assert response.status == 404


@pytest.mark.parametrize(
    ("locale", "viewport", "shot"),
    [("ru-RU", DESKTOP, "22-complaint-register-ru"), ("kk-KZ", PHONE, "23-phone-complaint-register-kk")],
)
def test_the_register_is_sorted_by_due_date_with_overdue_marked(
    register_server, open_page, screenshots, locale, viewport, shot
):
    page = open_page(locale, viewport)
    sign_in(page, register_server.tokens["rights_officer"])
    page.goto("/console/complaints")
    cards = page.locator("li.card[data-complaint]")
    assert cards.count() >= 5
    overdue = page.locator("li.card.is-overdue")
    assert overdue.count() == 1 and "IN-2026-000009" in overdue.inner_text()
    assert cards.first.get_attribute("data-complaint") == overdue.get_attribute("data-complaint")  # earliest due
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshots(page, shot)


def test_a_complaint_goes_through_each_role_to_a_signed_answer(register_server, open_page, screenshots):
    rights = open_page("ru-RU", DESKTOP)
    sign_in(rights, register_server.tokens["rights_officer"])
    rights.goto("/console/complaints/2")  # in progress (the demo's office complaint)
    rights.select_option("#outcome", "partly_upheld")
    rights.fill("#atext", "Пеня пересчитана с даты погашения.")
    rights.fill("#lender_actions", "Сторнируем пеню.")
    rights.fill("#references", "ЗоМФД ст. 6 п. 3")
    go(rights, "button:has-text('Проект ответа')")
    assert "Ответ подготовлен" in rights.locator(".badge").first.inner_text()

    lawyer = open_page("kk-KZ", DESKTOP)
    sign_in(lawyer, register_server.tokens["lawyer"])
    assert lawyer.url.endswith("/console/complaints")
    lawyer.goto("/console/complaints/2")
    go(lawyer, "button[value=approve]")
    assert "Заңгер келісті" in lawyer.locator(".badge").first.inner_text()

    director = open_page("ru-RU", DESKTOP)
    sign_in(director, register_server.tokens["director"])
    director.goto("/console/complaints/2")
    go(director, "button:has-text('Подписать ответ')")
    assert "Ответ направлен" in director.locator(".badge").first.inner_text()
    assert "OUT-2026-" in director.content()
    trail = director.locator("ol.events li").all_inner_texts()
    assert any("Подписано директором" in line for line in trail) and len(trail) >= 6
    screenshots(director, "24-complaint-answered-ru")


@pytest.mark.parametrize(("locale", "shot"), [("ru-RU", "25-complaints-report-ru"), ("kk-KZ", None)])
def test_the_quarterly_analysis_has_charts_and_flags_the_systemic_category(
    register_server, open_page, screenshots, locale, shot
):
    page = open_page(locale, DESKTOP)
    sign_in(page, register_server.tokens["director"])
    page.goto("/console/complaints/report")
    assert page.locator("svg.chart").count() >= 4
    systemic = page.locator("section.systemic").inner_text()
    assert ("Начисление пени" if locale == "ru-RU" else "Айыппұлды есептеу") in systemic
    if shot:
        screenshots(page, shot)


def test_the_lawyer_may_not_open_the_analysis_or_act_for_another_role(register_server, open_page):
    page = open_page("ru-RU", DESKTOP)
    sign_in(page, register_server.tokens["lawyer"])
    assert page.goto("/console/complaints/report").status == 403
    assert page.goto("/console").status == 403


def test_the_borrower_reads_the_signed_answer_in_the_cabinet(register_server, open_page, screenshots):
    tokens = register_server.tokens
    rights = open_page("ru-RU", DESKTOP)
    sign_in(rights, tokens["rights_officer"])
    rights.goto("/console/complaints/1")  # the borrower's cabinet complaint, still registered
    rights.fill("#unit", "Кредитный отдел")
    go(rights, "button:has-text('Назначить')")
    rights.select_option("#outcome", "upheld")
    rights.fill("#atext", "Пеня начислена ошибочно и будет сторнирована.")
    rights.fill("#client_actions", "Ничего не требуется.")
    go(rights, "button:has-text('Проект ответа')")
    lawyer = open_page("ru-RU", DESKTOP)
    sign_in(lawyer, tokens["lawyer"])
    lawyer.goto("/console/complaints/1")
    go(lawyer, "button[value=approve]")
    director = open_page("ru-RU", DESKTOP)
    sign_in(director, tokens["director"])
    director.goto("/console/complaints/1")
    go(director, "button:has-text('Подписать ответ')")

    borrower = open_page("kk-KZ", PHONE)
    sign_in(borrower, tokens["borrower"])
    borrower.goto("/cabinet/complaints/1")
    answer = borrower.locator("section.card", has_text="Жауап").last.inner_text()
    assert "Қанағаттандырылды" in answer and "OUT-2026-" in answer and "Пеня начислена ошибочно" in answer
    assert borrower.locator("a[href='/cabinet/complaints/1/answer.pdf']").count() == 1
    response = borrower.request.get("/cabinet/complaints/1/answer.pdf")
    assert response.status in (200, 503)  # 503 only where WeasyPrint's system libraries are missing
    if response.status == 200:
        assert response.body().startswith(b"%PDF")
    screenshots(borrower, "26-phone-cabinet-answer-kk")
