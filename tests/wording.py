"""Rules' texts worded for tests that run outside the service: the catalogues of ``api/translations`` on a bare
Flask app, through the same ``api.rule_texts`` the API and the pages use."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import Babel

from api.rule_texts import label as _label
from api.rule_texts import render as _render
from restructure.documents import figures_document
from rules.outcome import RuleOutcome

TRANSLATIONS = Path(__file__).resolve().parents[1] / "api" / "translations"


@cache
def _app() -> Flask:
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(TRANSLATIONS))
    return app


def render(key: str, lang: str, figures: Any) -> str:
    """The text ``key`` in ``lang`` from typed or plain ``figures``."""
    with _app().app_context():
        return _render(key, lang, figures_document(figures))


def explain(outcome: RuleOutcome, lang: str) -> str:
    """A rule outcome's explanation in ``lang``."""
    return render(outcome.text_key, lang, outcome.figures)


def label(code: str, lang: str) -> str:
    with _app().app_context():
        return _label(code, lang)
