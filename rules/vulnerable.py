"""Socially vulnerable groups (социально уязвимые слои населения), Housing Law Art. 68, in the statute's order.

The list, and the day each category entered the article, live in the rule sets (``rules/rulesets.json``,
``vulnerable_groups``; SPEC §8 "Everything legal is versioned"): a borrower's category counts for an application
only when it was in the article on ``received_on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rules.errors import UnknownVulnerableCategory
from rules.ruleset import RuleSet, all_rulesets


def _every_code() -> tuple[str, ...]:
    """Every code any set has ever listed, in the latest set's (the statute's) order."""
    seen: dict[str, None] = {}
    for rs in reversed(all_rulesets()):
        seen.update(dict.fromkeys(rs.vulnerable_codes()))
    return tuple(seen)


VULNERABLE_CATEGORIES: tuple[str, ...] = _every_code()


def validate_categories(codes: Iterable[str]) -> tuple[str, ...]:
    """LHR Art. 68: return the codes in the statute's order, without duplicates; raise on any unknown code."""
    given = set(codes)
    unknown = sorted(given.difference(VULNERABLE_CATEGORIES))
    if unknown:
        raise UnknownVulnerableCategory(unknown)
    return tuple(c for c in VULNERABLE_CATEGORIES if c in given)


def categories_in_force(codes: Iterable[str], ruleset: RuleSet, on: date) -> tuple[str, ...]:
    """LHR Art. 68 as it stood on ``on`` (the application's ``received_on``): the codes of the set that had entered the
    article by then, in its order."""
    given = set(codes)
    return tuple(c for c in ruleset.vulnerable_codes(on) if c in given)
