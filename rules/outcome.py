"""The result every rule returns: id, outcome, the figures it used, its citation and the key of its explanation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Figure = str | Decimal | int | bool | None | tuple[str, ...]
"""A figure a rule used. Dates are ISO strings; money and ratios are ``Decimal``."""


@dataclass(frozen=True)
class Citation:
    """Which rule and which clause of which act: ``str()`` gives ``"R-KDN: NBRK Res. 215; policy p.37, p.71"``."""

    rule: str
    source: str

    def __str__(self) -> str:
        """Rule id and source in one line."""
        return f"{self.rule}: {self.source}"


@dataclass(frozen=True)
class RuleOutcome:
    """One rule's outcome. ``passed`` is ``None`` when the rule does not apply to the case.

    ``text_key`` names a text of the catalogues (``api/rule_texts.py``), which words it at the edge from
    ``figures``.
    """

    rule: str
    passed: bool | None
    figures: Mapping[str, Figure] = field(default_factory=dict)
    citation: Citation = field(default_factory=lambda: Citation("", ""))
    text_key: str = ""


def outcome_key(rule: str, passed: bool | None) -> str:
    """The default text key of a rule's outcome: ``R-KDN.passed`` / ``.failed`` / ``.not_applicable``."""
    suffix = "not_applicable" if passed is None else ("passed" if passed else "failed")
    return f"{rule}.{suffix}"
