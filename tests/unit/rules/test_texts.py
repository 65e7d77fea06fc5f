from datetime import date
from decimal import Decimal

import pytest

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.errors import RulesError
from rules.recommend import recommend
from rules.texts import LANGUAGES, explain, label, placeholders, render, text_keys
from rules.vulnerable import VULNERABLE_CATEGORIES
from schedules.terms import PlanParams

from .factories import incomes, loan

START = date(2025, 10, 1)


def test_every_text_exists_in_kk_ru_en_with_the_same_placeholders() -> None:
    for key in text_keys():
        names = {lang: set(placeholders(key, lang)) for lang in LANGUAGES}
        assert names["kk"] == names["ru"] == names["en"], key


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
    with pytest.raises(RulesError):
        render("R-GESV-CAP.passed", "en", {"gesv_pct": Decimal("40.0")})
