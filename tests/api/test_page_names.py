"""Every code a page shows has a name in the page's language (api/web/names.py); an unknown one never crashes."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from api.web.names import citation_name, code_name, rule_ids, rule_name

LAW = {
    "kk": '"Микроқаржылық қызмет туралы" ҚР Заңы, 9-2-бап, 3-тармақ',
    "ru": "Закон РК «О микрофинансовой деятельности», ст. 9-2, п. 3",
    "en": "Law on Microfinance Activity, Art. 9-2, p. 3",
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_citation_reads_as_the_laws_own_title(app, lang):
    locale = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_001"}[lang]
    with app.test_request_context(), force_locale(locale):
        assert citation_name("R-INCOME-DROP: LMF Art. 9-2 p.3; policy p.74").startswith(LAW[lang] + "; ")
        assert citation_name("LMF Art. 9-2 p.3") == LAW[lang]


@pytest.mark.parametrize("locale", ["kk_KZ", "ru_KZ"])
def test_every_rule_id_has_a_name_in_kazakh_and_russian(app, locale):
    with app.test_request_context(), force_locale(locale):
        for rule in rule_ids():
            name = code_name("rule", rule)
            assert name != rule and not name.isascii(), rule
            assert rule_name(rule) == f"{name} ({rule})"


def test_an_unknown_code_is_shown_as_words_and_an_unknown_citation_as_it_is(app):
    with app.test_request_context(), force_locale("ru_KZ"):
        assert code_name("status", "brand_new_state") == "brand new state"
        assert code_name("no_such_kind", "x_y") == "x y"
        assert code_name("status", None) == "—"
        assert rule_name("R-UNKNOWN") == "R-UNKNOWN"
        assert citation_name("Some Decree 7") == "Some Decree 7"
        assert code_name("status", "awaiting_borrower") == "Ожидается ответ заёмщика"
        assert code_name("status_borrower", "awaiting_borrower") == "Ожидается ваш ответ"
        assert code_name("status_borrower", "agreed") == "Согласовано"
        assert code_name("ground", "vulnerable:large_family") == "Многодетная семья"
