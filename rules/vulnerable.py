"""Socially vulnerable groups (социально уязвимые слои населения), Housing Law Art. 68, in the statute's order."""

from __future__ import annotations

from collections.abc import Iterable

from rules.errors import UnknownVulnerableCategory

VULNERABLE_CATEGORIES: tuple[str, ...] = (
    "wwii_veteran",
    "wwii_equated_veteran",
    "combat_veteran",
    "disability_group_1_2",
    "family_with_disabled_child",
    "severe_chronic_disease",
    "old_age_pensioner",
    "orphan_under_29",
    "kandas",
    "lost_home_in_emergency",
    "large_family",
    "family_of_deceased_in_duty",
    "single_parent_family",
    "widow_with_dependent_children",
)


def validate_categories(codes: Iterable[str]) -> tuple[str, ...]:
    """LHR Art. 68: return the codes in the statute's order, without duplicates; raise on any unknown code."""
    given = set(codes)
    unknown = sorted(given.difference(VULNERABLE_CATEGORIES))
    if unknown:
        raise UnknownVulnerableCategory(unknown)
    return tuple(c for c in VULNERABLE_CATEGORIES if c in given)
