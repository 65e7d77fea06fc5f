"""Explanations a person can read, in kk, ru and en, from the catalogue ``rules/texts.json`` (data, not code)."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Literal

from rules.errors import RulesError
from rules.outcome import Figure, RuleOutcome

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
_DASH = "—"


@cache
def _catalogue() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    raw: dict[str, Any] = json.loads(resources.files("rules").joinpath("texts.json").read_text(encoding="utf-8"))
    return raw["texts"], raw["labels"]


def text_keys() -> tuple[str, ...]:
    """Every text key of the catalogue."""
    return tuple(_catalogue()[0])


def placeholders(key: str, lang: Language) -> tuple[str, ...]:
    """The figure names a text uses."""
    template = _catalogue()[0][key][lang]
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def label(code: str, lang: Language) -> str:
    """The words for a code (a problem, a ground, a vulnerable group, a step); the code itself if none."""
    entry = _catalogue()[1].get(code)
    return code if entry is None else entry[lang]


def _show(value: Figure, lang: Language) -> str:
    if value is None:
        return _DASH
    if isinstance(value, tuple):
        return ", ".join(label(v, lang) for v in value) if value else _DASH
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return label(value, lang)
    return str(value)


def render(key: str, lang: Language, figures: Mapping[str, Figure]) -> str:
    """Fill the text ``key`` in ``lang`` from ``figures``; raises ``RulesError`` on an unknown key or missing figure."""
    texts, _ = _catalogue()
    if key not in texts:
        raise RulesError(f"no text {key!r}")
    if lang not in LANGUAGES:
        raise RulesError(f"no language {lang!r}")
    template = texts[key][lang]
    values: dict[str, str] = {}
    for name in placeholders(key, lang):
        if name not in figures:
            raise RulesError(f"text {key!r} needs figure {name!r}")
        values[name] = _show(figures[name], lang)
    return template.format_map(values)


def explain(outcome: RuleOutcome, lang: Language) -> str:
    """The explanation of a rule outcome in ``lang`` (the ``text`` of API.md's rule entries)."""
    return render(outcome.text_key, lang, outcome.figures)
