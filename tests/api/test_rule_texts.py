"""The rules' explanations come from the one set of catalogues (``api/translations``), worded at the edge
(``api/rule_texts.py``): complete in kk, ru and en, filled from the figures the rules return."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest

from api.rule_texts import LANGUAGES, text_keys
from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.recommend import recommend
from rules.vulnerable import VULNERABLE_CATEGORIES
from schedules.terms import PlanParams
from tests.unit.rules.factories import incomes, loan
from tests.wording import explain, label, render

START = date(2025, 10, 1)


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_is_translated_with_the_same_placeholders() -> None:
    from api.rule_texts import _catalogue
    from tests.wording import _app

    with _app().app_context():
        english = _catalogue("en")[0]
        for lang in ("kk", "ru"):
            words = _catalogue(lang)[0]
            for key in text_keys():
                assert words[key] != english[key], f"{key} is not translated into {lang}"
                assert _names(words[key]) == _names(english[key]), key


def test_every_vulnerable_code_has_words_in_each_language() -> None:
    for code in VULNERABLE_CATEGORIES:
        for lang in LANGUAGES:
            assert label("vulnerable:" + code, lang) != "vulnerable:" + code


def test_assessment_and_waterfall_texts_render_in_each_language() -> None:
    requested = PlanParams(deferral_months=3, deferral_of="principal")
    borrower = BorrowerFlags(vulnerable_categories=("kandas",))
    a = assess(loan(), borrower, incomes(START, older="200000.00", recent="50000.00"), START, requested)
    rec = recommend(loan(), a, start_on=START, requested=requested)
    for lang in LANGUAGES:
        for outcome in a.rules:
            text = explain(outcome, lang)
            assert "{" not in text and text
        for step in rec.steps:
            assert "{" not in render(step.text_key, lang, step.figures)
    ru = explain(a.rules[2], "ru")
    assert ru.startswith("МФО обязана согласиться") and "кандас" in ru
    kk = explain(a.rules[0], "kk")
    assert kk.startswith("Табыс 71.43%-ға төмендеді")


def test_a_missing_figure_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        render("R-GESV-CAP.passed", "en", {"gesv_pct": Decimal("40.0")})
