"""Issue #15's page defects, each checked in Kazakh and Russian at 1280 px and at 390 px (a phone); axe-core on every
page (no serious or critical violation); applying and accepting an offer with the keyboard only.

Three applications of the third seeded borrower, made through the JSON API: a counter-offer awaiting the borrower's
answer (concurred), a counter-offer proposed and not yet concurred, and a request still under review.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import incomes, loan_payload
from tests.e2e.conftest import Seeded, go, sign_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"kk": "kk-KZ", "ru": "ru-RU"}
WORDS = {
    "awaiting_for_staff": {"kk": "Қарыз алушының жауабы күтілуде", "ru": "Ожидается ответ заёмщика"},
    "awaiting_for_borrower": {"kk": "Сіздің жауабыңыз күтілуде", "ru": "Ожидается ваш ответ"},
    "not_applicable": {"kk": "Қолданылмайды", "ru": "Не применимо"},
    "proposed": {"kk": "Қарсы ұсыныс ретінде ұсынылды", "ru": "Предложен как встречное предложение"},
    "answer_by": {"kk": "Жауап беру мерзімі", "ru": "Ответить до"},
    "decision_due": {"kk": "Шешім мерзімі", "ru": "Срок решения"},
    "later": {"kk": "ай кеш", "ru": "мес. позже"},
    "consent": {"kk": "тек сіздің келісіміңізбен", "ru": "только с вашего согласия"},
}


def _post(api: Any, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    response = api.post(
        path, data=json.dumps(body), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    assert response.ok, (path, response.status, response.text())
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def cases(server: Seeded, browser: Any) -> dict[str, int]:
    context = browser.new_context(base_url=server.base_url)
    api = context.request
    officer = {"Authorization": f"Bearer {server.officer}"}
    borrower_id = api.get(f"/api/v1/loans/{server.offer_loan}", headers=officer).json()["borrower_id"]
    loans = [server.offer_loan] + [
        _post(api, "/api/v1/loans", loan_payload(borrower_id), server.officer)["id"] for _ in range(2)
    ]
    ids = []
    for loan_id in loans:  # the borrower applies in the cabinet (the answer period runs from the concurrence)
        body = {
            "loan_id": loan_id,
            "language": "kk",
            "reasons": ["income_loss"],
            "statement": "Жалақы азайды.",
            "requested": {"extra_months": 12},
            "incomes": incomes(),
        }
        ids.append(_post(api, "/api/v1/applications", body, server.offer_borrower)["id"])
    offer, proposed, review = ids
    counter_offer = {"outcome": "counter_offer", "plan": {"extra_months": 18}, "reasons": [], "comment": ""}
    for application_id in (offer, proposed):
        _post(api, f"/api/v1/applications/{application_id}/decision", counter_offer, server.officer)
    _post(api, f"/api/v1/applications/{offer}/approval", {"verdict": "approve", "comment": ""}, server.rights)
    context.close()
    return {"offer": offer, "proposed": proposed, "review": review}


def _page(new_page: Any, lang: str, device: str) -> Any:
    options: dict[str, Any] = {"viewport": VIEWPORTS[device]}
    if device == "phone":
        options |= {"is_mobile": True, "has_touch": True}
    return new_page(LOCALES[lang], **options)


def _fits(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def _visible_without_scrolling_sideways(page: Any, selector: str) -> None:
    inner = page.evaluate("() => window.innerWidth")
    boxes = page.locator(selector)
    assert boxes.count() > 0, selector
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, (selector, i, box, inner)


both = pytest.mark.parametrize("lang", ["kk", "ru"])
devices = pytest.mark.parametrize("device", ["desktop", "phone"])


@both
@devices
def test_officers_read_officer_wording_for_a_counter_offer_awaiting_the_borrower(
    server, new_page, cases, screenshots, lang, device
):
    page = _page(new_page, lang, device)
    sign_in(page, server.rights)
    row = page.locator(f"[data-application='{cases['offer']}']")
    badge = row.locator(".badge").first.inner_text()
    assert badge == WORDS["awaiting_for_staff"][lang]
    assert WORDS["awaiting_for_borrower"][lang] not in row.inner_text()
    go(page, f"a[href='/console/applications/{cases['offer']}']")
    assert page.locator(".badge").first.inner_text() == WORDS["awaiting_for_staff"][lang]
    _fits(page)
    screenshots(page, f"30-queue-offer-awaiting-{lang}-{device}")


@both
@devices
def test_the_plan_actions_are_visible_without_scrolling_the_comparison_table(
    server, new_page, cases, screenshots, lang, device
):
    page = _page(new_page, lang, device)
    sign_in(page, server.officer)
    page.goto(f"/console/applications/{cases['review']}")
    _visible_without_scrolling_sideways(page, ".plan-actions button")
    assert page.locator(".plan-actions button[value=accept]").count() == 1
    assert page.locator(".plan-actions button[value=counter_offer]").count() >= 3
    assert page.locator("table.compare button").count() == 0
    if device == "desktop":  # the table fits its box at 1280 px
        overflow = page.evaluate(
            "() => { const s = document.querySelector('#simulation .scroll'); return [s.scrollWidth, s.clientWidth]; }"
        )
        assert overflow[0] <= overflow[1], overflow
    _fits(page)
    screenshots(page, f"31-compare-actions-{lang}-{device}")


@both
@devices
def test_a_rule_that_does_not_apply_is_shown_as_not_applicable_in_neutral_style(
    server, new_page, cases, screenshots, lang, device
):
    page = _page(new_page, lang, device)
    sign_in(page, server.officer)
    page.goto(f"/console/applications/{cases['review']}")
    rule = page.locator("ul.rules li", has_text="R-CUT-50")
    assert rule.get_attribute("class") == "na"
    assert rule.locator(".badge").inner_text() == WORDS["not_applicable"][lang]
    red = "rgb(179, 38, 30)"
    assert rule.evaluate("e => getComputedStyle(e).borderLeftColor") != red
    assert rule.locator(".badge").evaluate("e => getComputedStyle(e).color") != red
    rule.scroll_into_view_if_needed()
    screenshots(page, f"32-rule-not-applicable-{lang}-{device}")


@both
@devices
def test_the_proposed_counter_offer_is_not_labelled_infeasible(server, new_page, cases, screenshots, lang, device):
    page = _page(new_page, lang, device)
    sign_in(page, server.rights)
    page.goto(f"/console/applications/{cases['proposed']}")
    proposed = page.locator("table.compare tr.proposed")
    assert proposed.count() >= 1
    for i in range(proposed.count()):
        assert proposed.nth(i).locator(".bad").count() == 0
    assert WORDS["proposed"][lang] in page.locator("table.compare").inner_text()
    screenshots(page, f"33-proposed-counter-offer-{lang}-{device}")


@both
@devices
def test_the_cabinet_card_of_a_counter_offer_shows_the_answer_deadline(
    server, new_page, cases, screenshots, lang, device
):
    page = _page(new_page, lang, device)
    sign_in(page, server.offer_borrower)
    card = page.locator("li.card", has=page.locator(f"a[href='/cabinet/applications/{cases['offer']}']"))
    text = card.inner_text()
    assert WORDS["answer_by"][lang] in text and "25.12.2026" in text  # concurred 25.11 + 30 days
    assert WORDS["decision_due"][lang] not in text
    _fits(page)
    screenshots(page, f"34-cabinet-offer-card-{lang}-{device}")


@both
@devices
def test_the_offer_shows_what_changes_before_asking_and_says_consent_and_the_end_date_shift(
    server, new_page, cases, screenshots, lang, device
):
    page = _page(new_page, lang, device)
    sign_in(page, server.offer_borrower)
    page.goto(f"/cabinet/applications/{cases['offer']}")
    changes = page.locator(".offer-change")
    accept = page.locator("button[value=accept]")
    assert changes.bounding_box()["y"] < accept.bounding_box()["y"]
    text = re.sub(r"[\u00a0\u202f]", " ", changes.inner_text())
    for figure in ("35 428,09 ₸", "ЖТСМ" if lang == "kk" else "ГЭСВ"):  # the instalment now; the GESV
        assert figure in text, (figure, text)
    assert re.search(r"18 " + re.escape(WORDS["later"][lang]), text), text  # 18 extra months
    assert WORDS["consent"][lang] in page.locator("#offer").inner_text()
    _fits(page)
    screenshots(page, f"35-borrower-offer-{lang}-{device}")


# --- keyboard only --------------------------------------------------------------------------------------------------


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_borrower_applies_and_accepts_an_offer_with_the_keyboard_only(server, new_page, cases):
    page = new_page("ru-RU")
    page.goto("/sign-in")
    tab_to(page, "#token")
    page.keyboard.type(server.offer_borrower)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # the accept: the figures come first, then the question
    tab_to(page, f"a[href='/cabinet/applications/{cases['offer']}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "button[value=accept]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator(".badge").first.inner_text() == "Согласовано"
    # applying: the form with Tab, Space and typing (the loan is free again after the agreement)
    page.goto("/cabinet")
    tab_to(page, f"a[href='/cabinet/loans/{server.offer_loan}/apply']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=reasons][value=income_loss]")
    page.keyboard.press("Space")
    tab_to(page, "#statement")
    page.keyboard.type("Жалақы екі есе азайды.")
    tab_to(page, "input[name=relief][value=extend]")
    page.keyboard.press("Space")
    for i in range(12):
        tab_to(page, f"#amount_{i}")
        page.keyboard.press("Control+A")
        page.keyboard.type("300000" if i < 10 else "140000")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/cabinet/applications/" in page.url, page.url
    assert page.locator(".badge").first.inner_text() == "Принято"


# --- axe-core --------------------------------------------------------------------------------------------------------


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return list(result)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run npm ci (scripts/test.sh does)")
@both
def test_no_page_has_a_serious_or_critical_accessibility_violation(server, new_page, cases, lang):
    found: dict[str, list[str]] = {}
    pages = {
        server.offer_borrower: [
            "/cabinet",
            f"/cabinet/applications/{cases['proposed']}",
            f"/cabinet/applications/{cases['review']}",
            "/cabinet/notices",
            "/cabinet/complaints",
        ],
        server.other_borrower: [f"/cabinet/loans/{server.other_loan}/apply"],
        server.officer: [
            "/console",
            f"/console/applications/{cases['review']}",
            f"/console/applications/{cases['proposed']}",
            "/console/delinquency",
            "/console/complaints",
        ],
        server.rights: [
            "/console",
            f"/console/applications/{cases['proposed']}",
            "/console/report",
            "/console/complaints/report",
        ],
    }
    anonymous = new_page(LOCALES[lang], bypass_csp=True)  # axe is injected as an inline script
    anonymous.goto("/sign-in")
    if violations := _axe(anonymous):
        found["/sign-in"] = violations
    for token, paths in pages.items():
        page = new_page(LOCALES[lang], bypass_csp=True)
        sign_in(page, token)
        for path in paths:
            page.goto(path)
            violations = _axe(page)
            if violations:
                found[path] = violations
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
