"""The cabinet and the console in a real browser: the whole path of an application, a phone, CSRF and roles."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import go, sign_in

AMOUNTS = ["300000"] * 10 + ["140000", "140000"]


def application_id_of(page: Any) -> int:
    match = re.search(r"/applications/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def fill_incomes(page: Any, amounts: list[str]) -> None:
    for i, amount in enumerate(amounts):
        page.fill(f"#amount_{i}", amount)


def test_an_application_goes_from_the_cabinet_through_both_officers_to_an_accepted_counter_offer(
    server, new_page, screenshots
):
    borrower = new_page("ru-RU")
    sign_in(borrower, server.borrower)
    assert borrower.url.endswith("/cabinet")
    assert borrower.locator("h1").inner_text() == "Личный кабинет"
    assert "Просроченная задолженность" in borrower.content()
    screenshots(borrower, "01-cabinet")

    # the form: twelve months prefilled, errors next to the fields in the page's language
    go(borrower, f"a[href='/cabinet/loans/{server.borrower_loan}/apply']")
    months = borrower.locator("table.incomes tbody tr td:first-child").all_inner_texts()
    assert months == [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    fill_incomes(borrower, AMOUNTS[:11] + ["140 000,555"])
    go(borrower, "button[type=submit]:has-text('Отправить заявление')")
    assert borrower.locator("#reasons-error, fieldset.invalid .field-error").first.inner_text() == (
        "Выберите хотя бы одну причину."
    )
    assert "не более двух знаков" in borrower.locator("#amount_11-error").inner_text()
    assert borrower.locator("#amount_11").get_attribute("aria-invalid") == "true"
    assert borrower.locator("#amount_0").input_value() == "300000"  # what was typed stays
    screenshots(borrower, "02-apply-errors")

    borrower.check("input[name=reasons][value=income_loss]")
    borrower.fill("#statement", "Сократили зарплату вдвое.")
    borrower.check("input[name=relief][value=extend]")
    borrower.fill("#amount_11", "140000")
    go(borrower, "button[type=submit]:has-text('Отправить заявление')")
    assert "/cabinet/applications/" in borrower.url
    application_id = application_id_of(borrower)
    assert "Принято" in borrower.locator(".badge").first.inner_text()
    assert "10.12.2026" in borrower.content()  # decision due: received 25.11 + 15 days
    assert "15 дн. осталось" in borrower.content()

    # the credit officer: queue, the application with its assessment and the simulation, a document request
    officer = new_page("en-GB")
    sign_in(officer, server.officer)
    assert officer.url.endswith("/console")
    assert officer.locator(f"[data-application='{application_id}']").count() == 1
    go(officer, f"a[href='/console/applications/{application_id}']")
    assert officer.locator("h2:has-text('Assessment')").count() == 1
    assert officer.locator("ul.rules li").count() >= 3
    assert "Law on Microfinance Activity, Art. 9-2, p. 3" in officer.locator("ul.rules").inner_text()
    compare = officer.locator("table.compare tbody tr")
    assert compare.count() >= 9  # recommended, requested, seven presets, unchanged
    assert compare.first.locator("th").inner_text().startswith("Recommended")
    screenshots(officer, "03-console-application")
    officer.click("a[href='#plan-recommended']")
    expect(officer.locator("details#plan-recommended")).to_have_attribute("open", "")  # hashchange is async

    officer.fill("#doc-items", "Справка о доходах за 3 месяца")
    officer.fill("#respond_by", "2026-12-05")
    go(officer, "button:has-text('Request documents')")
    assert "Awaiting documents" in officer.locator(".badge").first.inner_text()

    # the borrower provides them
    borrower.reload()
    assert "Справка о доходах за 3 месяца" in borrower.content()
    go(borrower, "button:has-text('Представить документы')")
    assert "На рассмотрении" in borrower.locator(".badge").first.inner_text()

    # the officer counter-offers the recommended plan
    officer.reload()
    go(officer, "button[data-plan=preset-0]")  # the rate cut
    assert "Decision proposed" in officer.locator(".badge").first.inner_text()

    # the rights officer concurs with one click in the queue (Kazakh)
    rights = new_page("kk-KZ")
    sign_in(rights, server.rights)
    row = rights.locator(f"[data-application='{application_id}']")
    assert "Шешім келісуде" in row.inner_text()
    screenshots(rights, "04-rights-queue")
    go(rights, f"[data-application='{application_id}'] button[value=approve]")
    assert rights.locator(".flash.ok").count() == 1
    assert rights.locator(f"[data-application='{application_id}']").count() == 1  # still open: the borrower answers

    # the borrower sees the offer as a table and a chart, and accepts it
    borrower.reload()
    assert "Ожидается ваш ответ" in borrower.content()
    assert borrower.locator("svg.chart rect.bar").count() > 6
    assert "25.12.2026" in borrower.content()  # answer within 30 days of the concurrence
    assert re.search(r"ГЭСВ</dt><dd>\d+,\d%</dd>", borrower.content())  # disclosed to one decimal, as rounded
    screenshots(borrower, "05-borrower-offer")
    go(borrower, "button[value=accept]")
    assert "Согласовано" in borrower.locator(".badge").first.inner_text()
    assert "Встречное предложение принято" in borrower.locator("ol.events").inner_text()

    # the rights officer's quarterly report, with charts (when the report service is part of the build)
    go(rights, "header a:has-text('Тоқсандық есеп')")
    assert rights.locator("h1").inner_text() == "Тоқсандық есеп: 2026 Q4"
    if rights.locator("svg.chart").count():
        assert re.search(r"Түскен өтініштер: [1-9]", rights.content())  # other browser tests apply too
    screenshots(rights, "07-report")

    # the notice link answers with a PDF (the notices service renders it)
    response = borrower.request.get(f"/cabinet/applications/{application_id}/notice.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_the_cabinet_fits_a_phone_and_the_language_switches(server, new_page, screenshots):
    phone = new_page("ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(phone, server.other_borrower)
    go(phone, f"a[href='/cabinet/loans/{server.other_loan}/apply']")
    go(phone, "nav.langs a[hreflang=kk]")
    assert phone.locator("h1").inner_text() == "Қиын қаржылық жағдай туралы өтініш"
    assert phone.locator("html").get_attribute("lang") == "kk"
    width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    box = phone.locator("button[type=submit]:has-text('Өтінішті жіберу')").bounding_box()
    assert box["height"] >= 40  # a finger-sized target
    screenshots(phone, "06-phone-apply-kk")
    go(phone, "nav.langs a[hreflang=en]")
    assert phone.locator("h1").inner_text() == "Hardship application"


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(server, new_page):
    page = new_page("en-GB")
    sign_in(page, server.other_borrower)
    page.goto("/language/en?next=/cabinet")  # the session's language, also for requests outside the page
    forged = page.request.post("/sign-out", form={"x": "1"})
    assert forged.status == 400
    assert "The form has expired" in forged.text()
    page.goto("/cabinet")
    assert page.url.endswith("/cabinet")  # still signed in
    refused = page.request.post("/sign-in", form={"token": server.officer})
    assert refused.status == 400
    page.goto("/")
    assert page.url.endswith("/cabinet")  # not switched to the officer


def test_each_page_checks_the_role_and_a_borrower_sees_only_their_own(server, new_page):
    page = new_page("en-GB")
    assert page.goto("/console").url.endswith("/sign-in?next=/console")
    sign_in(page, server.other_borrower)
    assert page.goto("/console").status == 403
    assert page.goto("/console/report").status == 403
    assert page.goto(f"/cabinet/loans/{server.borrower_loan}/apply").status == 404  # another borrower's loan
    officer = new_page("en-GB")
    sign_in(officer, server.officer)
    assert officer.goto("/cabinet").status == 403
    assert officer.goto("/console/report").status == 403  # the report is the rights officer's
    cookie = next(c for c in officer.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    go(officer, "button:has-text('Sign out')")
    assert officer.goto("/console").url.endswith("/sign-in?next=/console")


def test_a_wrong_token_is_refused_in_the_pages_language(server, new_page):
    page = new_page("kk-KZ")
    page.goto("/sign-in")
    page.fill("#token", "not-a-token")
    go(page, "form button[type=submit]")
    assert page.locator("#token-error").inner_text() == "Кілт жарамсыз немесе бұғатталған."
