"""The complaint register's law (SPEC §9): periods, limits and lists from the ``complaints`` block of
``rules/rulesets.json``, chosen by the complaint's ``received_on``. Pure: dates come in as parameters.

Sources: the ACF complaints policy (клиенттер өтініштерімен жұмыс саясаты, points cited per value) and the
client-rights policy §7 (p.51–62). All periods are calendar days: N days from D end on D + N.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from rules.errors import NoRuleSetInForce, RulesError

R_COMPLAINT_ANSWER = "R-COMPLAINT-ANSWER"
R_COMPLAINT_OUTSIDE_INFO = "R-COMPLAINT-OUTSIDE-INFO"
R_COMPLAINT_EXTENSION = "R-COMPLAINT-EXTENSION"
R_COMPLAINT_FORWARDING = "R-COMPLAINT-FORWARDING"
R_COMPLAINT_REFUSAL = "R-COMPLAINT-REFUSAL"
R_COMPLAINT_SYSTEMIC = "R-COMPLAINT-SYSTEMIC"

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Cited:
    """A value with the clause it comes from."""

    value: Any
    citation: str


@dataclass(frozen=True)
class ComplaintRules:
    """One version of the complaint rules."""

    id: str
    effective_from: date
    title: str
    answer_days: int
    outside_information_days: int
    outside_information_set_within_days: int
    extension_max_days: int
    extensions_allowed: int
    extension_notice_days: int
    forwarding_days: int
    systemic_threshold: int
    refusal_reasons: tuple[str, ...]
    kinds: tuple[str, ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    citations: Mapping[str, str]

    def cite(self, name: str) -> str:
        """The clause behind the value ``name`` (``answer_days`` → ``ACF 6.1 ...``)."""
        return self.citations[name]


_INTS = (
    "answer_days",
    "outside_information_days",
    "outside_information_set_within_days",
    "extension_max_days",
    "extensions_allowed",
    "extension_notice_days",
    "forwarding_days",
    "systemic_threshold",
)
_LISTS = ("refusal_reasons", "kinds", "channels", "languages")


def _build(raw: Mapping[str, Any]) -> ComplaintRules:
    citations: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in (*_INTS, *_LISTS, "anonymous_exception"):
        item = raw[name]
        if not isinstance(item, dict) or not str(item.get("citation", "")).strip():
            raise RulesError(f"complaint rules {raw['id']}: {name} needs a value and a citation")
        citations[name] = str(item["citation"])
        values[name] = item["value"]
    for name in _INTS:
        if not isinstance(values[name], int) or values[name] < 0:
            raise RulesError(f"complaint rules {raw['id']}: {name} must be a non-negative integer")
    return ComplaintRules(
        id=str(raw["id"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        title=str(raw["title"]),
        answer_days=int(values["answer_days"]),
        outside_information_days=int(values["outside_information_days"]),
        outside_information_set_within_days=int(values["outside_information_set_within_days"]),
        extension_max_days=int(values["extension_max_days"]),
        extensions_allowed=int(values["extensions_allowed"]),
        extension_notice_days=int(values["extension_notice_days"]),
        forwarding_days=int(values["forwarding_days"]),
        systemic_threshold=int(values["systemic_threshold"]),
        refusal_reasons=tuple(str(v) for v in values["refusal_reasons"]),
        kinds=tuple(str(v) for v in values["kinds"]),
        channels=tuple(str(v) for v in values["channels"]),
        languages=tuple(str(v) for v in values["languages"]),
        citations=citations,
    )


@cache
def all_complaint_rules() -> tuple[ComplaintRules, ...]:
    """Every version in the ``complaints`` block, oldest first."""
    text = resources.files("rules").joinpath("rulesets.json").read_text(encoding="utf-8")
    sets = tuple(sorted((_build(r) for r in json.loads(text)["complaints"]["sets"]), key=lambda s: s.effective_from))
    if len({s.effective_from for s in sets}) != len(sets):
        raise RulesError("complaint rule set effective dates must be unique")
    return sets


def complaint_rules_for(received_on: date) -> ComplaintRules:
    """The version in force on ``received_on``: the latest whose ``effective_from`` ≤ that day."""
    in_force = [s for s in all_complaint_rules() if s.effective_from <= received_on]
    if not in_force:
        raise NoRuleSetInForce(received_on)
    return in_force[-1]


def answer_due_on(rules: ComplaintRules, received_on: date, *, outside_information: bool, extension_days: int) -> date:
    """ACF 6.1; client-rights policy p.57-58: 15 days from receipt, 30 when outside information is needed, plus
    an extension by the director."""
    base = rules.outside_information_days if outside_information else rules.answer_days
    return received_on + timedelta(days=base + extension_days)


def outside_information_until(rules: ComplaintRules, received_on: date) -> date:
    """ACF 6.1: the longer period is chosen while the first 15 days run (until ``received_on + 15``)."""
    return received_on + timedelta(days=rules.outside_information_set_within_days)


def forwarding_late(rules: ComplaintRules, received_on: date, forwarded_on: date | None) -> bool:
    """ACF 3.4: a branch forwards a complaint within one day; later is flagged (never refused)."""
    return forwarded_on is not None and forwarded_on > received_on + timedelta(days=rules.forwarding_days)


def extension_error(rules: ComplaintRules, days: int, extensions_so_far: int) -> str | None:
    """ACF 6.1 (third point): one extension of 1..30 days. ``None`` when allowed, else the broken limit's name."""
    if extensions_so_far >= rules.extensions_allowed:
        return "extensions_allowed"
    if not 1 <= days <= rules.extension_max_days:
        return "extension_max_days"
    return None


def extension_notice_due_on(rules: ComplaintRules, decided_on: date) -> date:
    """ACF 6.1 (third point): the client is told in writing within 3 days of the extension decision."""
    return decided_on + timedelta(days=rules.extension_notice_days)


def extension_notice_late(rules: ComplaintRules, decided_on: date, notice_sent_on: date | None, today: date) -> bool:
    """The notice was sent after its due day, or is still unsent when that day has passed."""
    due = extension_notice_due_on(rules, decided_on)
    return notice_sent_on > due if notice_sent_on is not None else today > due


def refusal_error(rules: ComplaintRules, reason: str, *, anonymous: bool, reports_crime: bool) -> str | None:
    """ACF 1.1.4, 5.4; client-rights policy p.54: the reason must be one of the list; ``anonymous`` only for a
    complaint without an identifiable applicant, and never for one that reports a crime (it is forwarded)."""
    if reason not in rules.refusal_reasons:
        return "unknown_reason"
    if reason == ANONYMOUS and not anonymous:
        return "not_anonymous"
    if reason == ANONYMOUS and reports_crime:
        return "reports_crime"
    return None


def forwarded_to_authorities(*, anonymous: bool, reports_crime: bool) -> bool:
    """ACF 1.1.4: an anonymous report of a crime or a threat to public security goes to the authorities."""
    return anonymous and reports_crime


def answered_in_time(due_on: date, sent_on: date) -> bool:
    """The answer is timely when sent on or before its due day (a late one is recorded, never blocked)."""
    return sent_on <= due_on


def systemic_categories(rules: ComplaintRules, categories: Iterable[str | None]) -> list[str]:
    """ACF 8.1, 8.4: a category seen ``systemic_threshold`` (3) times or more in a quarter is systemic."""
    counts = Counter(c for c in categories if c)
    return sorted(c for c, n in counts.items() if n >= rules.systemic_threshold)
