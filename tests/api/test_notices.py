"""Borrower notices through the API: every notice in kk, ru and en, as HTML and as PDF; who may read them; the
content types; and the catalogues (complete, compiled, in step with the templates).

Dates below are checked by hand: received 2026-11-25 (the business date), decided and concurred the same day, so
the decision is due 2026-12-10 (+15), a counter-offer is answered by 2026-12-25 (+30), and a refusal may go to
the ombudsman until 2026-12-10 (+15).
"""

from __future__ import annotations

import gettext
import html
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from pypdf import PdfReader

from api.clock import FixedClock
from api.runtime import runtime
from tests.conftest import application_payload

URL = "/api/v1/applications"
ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "api" / "translations"
LANGS = ("kk", "ru", "en")
KINDS = ("acknowledgement", "document_request", "agreement", "counter_offer", "refusal")
DOCUMENTS = ["Справка о доходах за 6 месяцев", "Приказ о сокращении"]
COMMENT = "Доход снизился меньше чем на 30 процентов."

TITLES = {
    "acknowledgement": {"kk": "Өтінішіңіз қабылданды", "ru": "Ваше заявление получено",
                        "en": "Your application has been received"},
    "document_request": {"kk": "Құжаттарды ұсыну туралы сұрау", "ru": "Запрос документов",
                         "en": "Request for documents"},
    "agreement": {"kk": "Микрокредит шартының талаптарын өзгертуге келісім",
                  "ru": "Согласие на изменение условий договора о предоставлении микрокредита",
                  "en": "Agreement to change the terms of your loan"},
    "counter_offer": {"kk": "Өтінішіңізге қарсы ұсыныс", "ru": "Встречное предложение по вашему заявлению",
                      "en": "Counter-offer to your application"},
    "refusal": {"kk": "Микрокредит шартының талаптарын өзгертуден бас тарту",
                "ru": "Отказ в изменении условий договора о предоставлении микрокредита",
                "en": "Refusal to change the terms of your loan"},
}
# 2026-12-10 and 2026-12-25 in each locale's long format (CLDR: kk "y 'ж'. d MMMM", ru "d MMMM y 'г'.")
DEC_5 = {"kk": "2026 ж. 5 желтоқсан", "ru": "5 декабря 2026 г.", "en": "5 December 2026"}
DEC_10 = {"kk": "2026 ж. 10 желтоқсан", "ru": "10 декабря 2026 г.", "en": "10 December 2026"}
DEC_25 = {"kk": "2026 ж. 25 желтоқсан", "ru": "25 декабря 2026 г.", "en": "25 December 2026"}
NO_EARLY_REPAYMENT = {"kk": "мерзімінен бұрын өтеуді талап етуге құқылы емеспіз",
                      "ru": "не вправе требовать досрочного погашения", "en": "may not demand early repayment"}
OMBUDSMAN_RIGHT = {"kk": "микроқаржы омбудсманына жүгінуге құқылысыз",
                   "ru": "вправе в течение 15 календарных дней обратиться к микрофинансовому омбудсману",
                   "en": "apply to the microfinance ombudsman within 15 calendar days"}
REASON = {"kk": "Ұсынылған мәліметтер микрокредитті өтеуді қиындататын мән-жайларды растамайды.",
          "ru": "Представленные сведения не подтверждают обстоятельств, затрудняющих погашение микрокредита.",
          "en": "The information provided does not confirm circumstances"}
# a word with ә, қ or ң in every Kazakh notice: the signature "Микроқаржы ұйымы" and "Құрметпен"
KAZAKH_WORDS = ("Микроқаржы", "ұйымы", "Құрметпен")


def flat(text: str) -> str:
    """Whitespace as one plain space: Babel puts no-break spaces in amounts and dates, PDFs break lines."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def page_text(response) -> str:
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def money(amount: str, lang: str) -> str:
    if lang == "en":
        return flat(format_currency(Decimal(amount), "KZT", format="'₸'#,##0.00", locale="en_001"))
    return flat(format_currency(Decimal(amount), "KZT", locale=f"{lang}_KZ"))


@pytest.fixture
def rights(token_for):
    return token_for("rights_officer")


@pytest.fixture
def decided(client, officer, rights, make_application):
    """``decided(kind, language)``: an application in the state whose notice is ``kind``; returns its JSON."""

    def make(kind: str, language: str = "ru", **overrides):
        application = make_application(language=language, **overrides)
        url = f"{URL}/{application['id']}"
        decision = {
            "agreement": {"outcome": "accept", "reasons": [], "comment": ""},
            "counter_offer": {"outcome": "counter_offer", "plan": {"extra_months": 6}, "reasons": [], "comment": ""},
            "refusal": {"outcome": "refuse", "reasons": ["no_hardship_shown", "other"], "comment": COMMENT},
        }.get(kind)
        if kind == "document_request":
            response = client.post(
                f"{url}/document-requests", json={"items": DOCUMENTS, "respond_by": "2026-12-05"}, headers=officer
            )
            assert response.status_code == 200, response.json
        elif decision is not None:
            assert client.post(f"{url}/decision", json=decision, headers=officer).status_code == 200
            response = client.post(f"{url}/approval", json={"verdict": "approve", "comment": ""}, headers=rights)
            assert response.status_code == 200, response.json
        return client.get(url, headers=officer).json

    return make


def notice(client, headers, application_id, accept="text/html", **query):
    return client.get(f"{URL}/{application_id}/notice", query_string=query, headers=headers | {"Accept": accept})


# --- every notice, every language, both formats -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_notice_renders_in_its_language_as_html_and_pdf(client, officer, decided, kind, lang):
    application = decided(kind, language=lang)

    page = notice(client, officer, application["id"])
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert page.headers["Content-Language"] == lang
    assert f'<html lang="{lang}">' in page.get_data(as_text=True)
    text = page_text(page)

    pdf = notice(client, officer, application["id"], accept="application/pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    printed = pdf_text(pdf.data)

    for shown in (text, printed):
        assert TITLES[kind][lang] in shown
        if lang == "kk":
            assert all(word in shown for word in KAZAKH_WORDS)
        if kind == "acknowledgement":
            assert DEC_10[lang] in shown  # the decision is due 15 days after receipt
            assert NO_EARLY_REPAYMENT[lang] in shown
        if kind == "document_request":
            assert all(item in shown for item in DOCUMENTS)
            assert flat(DEC_5[lang]) in shown  # the answer date for the documents
            assert NO_EARLY_REPAYMENT[lang] in shown
        if kind in ("agreement", "counter_offer"):
            plan = application["decision"]["plan"]
            assert money(plan["totals"]["payment"], lang) in shown
            assert money(plan["schedule"][0]["payment"], lang) in shown
            assert "₸" in shown
        if kind == "counter_offer":
            assert flat(DEC_25[lang]) in shown  # the answer is due 30 days after the decision
        if kind == "refusal":
            assert flat(DEC_10[lang]) in shown  # ombudsman_until
            assert flat(OMBUDSMAN_RIGHT[lang]) in shown
            assert REASON[lang] in shown
            assert COMMENT in shown


def test_the_refusal_states_the_ombudsman_right_with_its_date(client, officer, decided):
    application = decided("refusal", language="ru")
    assert application["ombudsman_until"] == "2026-12-10"
    text = page_text(notice(client, officer, application["id"]))
    assert "Ваше право обратиться к микрофинансовому омбудсману" in text
    assert "Последний день для обращения к омбудсману: 10 декабря 2026 г." in text
    assert "пункт 4 статьи 9-2 Закона «О микрофинансовой деятельности»" in text
    assert "Причины отказа" in text


def test_the_counter_offer_carries_every_schedule_row_and_the_totals(client, officer, decided):
    application = decided("counter_offer", language="ru")
    plan = application["decision"]["plan"]
    body = notice(client, officer, application["id"]).get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1), re.S)
    assert len(rows) == len(plan["schedule"]) > 1
    for row, line in zip(rows, plan["schedule"], strict=True):
        cells = [flat(html.unescape(c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        day = date.fromisoformat(line["due_on"])
        assert cells[0] == str(line["n"])
        assert cells[1].startswith(f"{day.day} ")
        assert cells[2:] == [money(line[k], "ru") for k in ("payment", "principal", "interest", "arrears", "balance")]
    footer = flat(html.unescape(re.sub(r"<[^>]+>", " ", re.search(r"<tfoot>(.*?)</tfoot>", body, re.S).group(1))))
    totals = plan["totals"]
    sums = [money(totals[k], "ru") for k in ("payment", "principal", "interest", "arrears")]
    assert footer == " ".join(["Итого", *sums])
    pdf = pdf_text(notice(client, officer, application["id"], accept="application/pdf").data)
    last = plan["schedule"][-1]
    assert money(last["payment"], "ru") in pdf and money(totals["payment"], "ru") in pdf


def test_a_declined_counter_offer_is_a_refusal_with_the_ombudsman_date(client, officer, rights, make_loan, token_for):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"], language="kk"), headers=me).json
    url = f"{URL}/{application['id']}"
    client.post(f"{url}/decision", json={"outcome": "counter_offer", "plan": {"extra_months": 6}}, headers=officer)
    client.post(f"{url}/approval", json={"verdict": "approve", "comment": ""}, headers=rights)
    assert client.post(f"{url}/response", json={"answer": "decline"}, headers=me).json["status"] == "refused"
    text = page_text(notice(client, me, application["id"]))
    assert "қарсы ұсынысымыздан бас тарттыңыз" in text
    assert "Омбудсманға жүгінудің соңғы күні: 2026 ж. 10 желтоқсан" in text
    # the offer itself can still be printed
    assert "Өтінішіңізге қарсы ұсыныс" in page_text(notice(client, me, application["id"], kind="counter_offer"))


def test_a_lapsed_counter_offer_is_a_refusal_with_the_ombudsman_date(app, client, officer, decided, uow):
    from restructure.deadlines import sweep

    application = decided("counter_offer", language="ru")
    sweep(uow, today=date(2026, 12, 26), now=runtime(app).clock.now())
    runtime(app).clock = FixedClock(date(2026, 12, 26))
    text = page_text(notice(client, officer, application["id"]))
    assert "не поступил в установленный срок (25 декабря 2026 г.)" in text
    assert "Последний день для обращения к омбудсману: 9 января 2027 г." in text  # SPEC §8: 12-25 + 15


def test_an_agreement_after_an_accepted_counter_offer_says_so(client, officer, rights, make_loan, token_for):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"], language="ru"), headers=me).json
    url = f"{URL}/{application['id']}"
    client.post(f"{url}/decision", json={"outcome": "counter_offer", "plan": {"extra_months": 6}}, headers=officer)
    client.post(f"{url}/approval", json={"verdict": "approve", "comment": ""}, headers=rights)
    client.post(f"{url}/response", json={"answer": "accept"}, headers=me)
    text = page_text(notice(client, me, application["id"]))
    assert "вы приняли наше встречное предложение" in text
    assert "Новый график платежей" in text


# --- language and content negotiation ---------------------------------------------------------------------------


def test_lang_asks_for_another_language_than_the_applications(client, officer, decided):
    application = decided("refusal", language="kk")
    default = notice(client, officer, application["id"])
    assert "Бас тарту себептері" in page_text(default)
    english = notice(client, officer, application["id"], lang="en")
    assert english.headers["Content-Language"] == "en"
    assert "Reasons for the refusal" in page_text(english)
    assert "Last day to apply to the ombudsman: 10 December 2026" in page_text(english)
    assert "Причины отказа" in page_text(notice(client, officer, application["id"], lang="ru"))


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("*/*", "text/html"),
        ("text/*", "text/html"),
        ("application/pdf, text/html;q=0.5", "application/pdf"),
        ("text/html;q=0.1, application/pdf;q=0.9", "application/pdf"),
    ],
)
def test_accept_chooses_the_format(client, officer, make_application, accept, mimetype):
    application = make_application()
    assert notice(client, officer, application["id"], accept=accept).mimetype == mimetype


def test_no_accept_header_gives_html(client, officer, make_application):
    application = make_application()
    response = client.get(f"{URL}/{application['id']}/notice", headers=officer)
    assert response.status_code == 200 and response.mimetype == "text/html"


@pytest.mark.parametrize("accept", ["application/json", "image/png", "text/plain"])
def test_a_format_other_than_html_or_pdf_is_406(client, officer, make_application, accept):
    application = make_application()
    response = notice(client, officer, application["id"], accept=accept)
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "not_acceptable"
    assert "application/pdf" in response.json["detail"]


def test_a_pdf_without_the_system_pdf_libraries_is_a_503_saying_what_is_missing(
    client, officer, make_application, monkeypatch
):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    application = make_application()
    response = notice(client, officer, application["id"], accept="application/pdf")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "libpango-1.0-0" in response.json["detail"] and "text/html" in response.json["detail"]
    assert notice(client, officer, application["id"], accept="text/html").status_code == 200


@pytest.mark.parametrize("kind", ["document_request", "agreement", "counter_offer", "refusal"])
def test_a_notice_for_an_event_that_has_not_happened_is_409_naming_the_state(client, officer, make_application, kind):
    application = make_application()
    response = notice(client, officer, application["id"], kind=kind)
    assert response.status_code == 409
    assert response.json["state"] == "received"
    assert "received" in response.json["detail"]


def test_a_withdrawn_application_has_no_default_notice_but_keeps_its_acknowledgement(client, make_loan, token_for):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    client.post(f"{URL}/{application['id']}/withdrawal", json={"reason": "Справился сам."}, headers=me)
    response = notice(client, me, application["id"])
    assert response.status_code == 409 and response.json["state"] == "withdrawn"
    assert notice(client, me, application["id"], kind="acknowledgement").status_code == 200


@pytest.mark.parametrize("query", [{"lang": "de"}, {"kind": "reminder"}, {"colour": "red"}])
def test_unknown_query_values_are_422(client, officer, make_application, query):
    application = make_application()
    assert notice(client, officer, application["id"], **query).status_code == 422


# --- who may read a notice ---------------------------------------------------------------------------------------


def test_a_borrower_reads_their_own_notice_but_not_anothers(client, make_loan, make_application, token_for):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    mine = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    other = make_application()
    assert notice(client, me, mine["id"]).status_code == 200
    assert notice(client, me, mine["id"], accept="application/pdf").status_code == 200
    for accept in ("text/html", "application/pdf"):
        response = notice(client, me, other["id"], accept=accept)
        assert response.status_code == 404
        assert response.json["code"] == "not_found"


@pytest.mark.parametrize("role", ["credit_officer", "rights_officer", "admin"])
def test_staff_read_any_notice(client, token_for, make_application, role):
    application = make_application()
    assert notice(client, token_for(role), application["id"]).status_code == 200


def test_a_notice_needs_a_token(client, make_application):
    application = make_application()
    assert client.get(f"{URL}/{application['id']}/notice").status_code == 401


# --- the catalogues ----------------------------------------------------------------------------------------------


def _catalog(path: Path) -> dict[object, str]:
    """The compiled messages, without the header entry (its metadata names the Babel version that compiled it)."""
    with path.open("rb") as handle:
        messages = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    messages.pop("", None)
    return messages


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_mo_files_are_compiled_from_the_po_files(tmp_path, lang):
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    fresh = tmp_path / "messages.mo"
    with fresh.open("wb") as handle:
        write_mo(handle, catalog)
    assert _catalog(po.with_suffix(".mo")) == _catalog(fresh), f"run: pybabel compile -d {TRANSLATIONS}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_catalogues_are_complete_and_in_step_with_the_templates(lang):
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT / "api", method_map, options_map)
    }
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    messages = [m for m in catalog if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == extracted
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id


def test_kazakh_uses_cyrillic_schwa_not_the_latin_one():
    """Some source documents type ә as Latin ə (U+0259), which fonts and search treat as another letter."""
    text = (TRANSLATIONS / "kk" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "ә" in text and "\u0259" not in text and "\u018f" not in text


def test_notices_are_signed_with_the_lenders_name_when_it_is_configured(app, client, officer, make_application):
    application = make_application()
    path = f"/api/v1/applications/{application['id']}/notice"
    assert "Микрофинансовая организация" in client.get(path, headers=officer).get_data(as_text=True)
    app.config["RESTRUCTURE"]["LENDER_NAME"] = "ТОО «МФО «Пример Кредит»"
    signed = client.get(path, headers=officer).get_data(as_text=True)
    assert html.escape("ТОО «МФО «Пример Кредит»") in signed or "ТОО «МФО «Пример Кредит»" in signed
    assert "Микрофинансовая организация" not in signed


# --- SPEC §8: unlawful penalties ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_agreement_says_that_unlawful_penalties_were_removed(client, officer, rights, make_loan, decided, lang):
    # 41 days overdue on 35 000 as of 11-20: the lawful cap is 7 175.00; 9 000.00 charged → 1 825.00 removed
    loan = make_loan(penalties="9000.00")
    application = decided("agreement", lang, loan_id=loan["id"])
    assert application["decision"]["plan"]["totals"]["penalty_excess_removed"] == "1825.00"
    text = page_text(notice(client, officer, application["id"]))
    assert money("1825.00", lang) in text
    words = {"ru": "никогда не будет взыскана", "kk": "ешқашан өндірілмейді", "en": "will never be collected"}[lang]
    assert words in text


def test_a_lawful_penalty_is_not_mentioned(client, officer, decided):
    text = page_text(notice(client, officer, decided("agreement", "en")["id"]))
    assert "never be collected" not in text
