"""Errors the rules raise on bad input. Each carries what a caller needs to name the problem to a person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


class RulesError(ValueError):
    """Base of every input error raised by ``rules``."""


class MissingIncomeMonths(RulesError):
    """Incomes lack months a test needs (LMF Art. 9-2 p.3: income over the 12 months before the application month)."""

    def __init__(self, missing: Sequence[date]) -> None:
        self.missing: tuple[date, ...] = tuple(sorted(missing))
        self.months: tuple[str, ...] = tuple(f"{m.year:04d}-{m.month:02d}" for m in self.missing)
        super().__init__("income missing for month(s): " + ", ".join(self.months))


class InvalidMonth(RulesError):
    """A month is not ``YYYY-MM`` or not the first day of a month."""


class InvalidIncome(RulesError):
    """An income amount is negative or not an exact decimal."""


class UnknownVulnerableCategory(RulesError):
    """A vulnerable-group code is not one of Housing Law Art. 68's (``rules.vulnerable.VULNERABLE_CATEGORIES``)."""

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes: tuple[str, ...] = tuple(codes)
        super().__init__("unknown vulnerable category code(s): " + ", ".join(self.codes))


class NoRuleSetInForce(RulesError):
    """No rule set was in force on the date asked (before the first set's ``effective_from``)."""

    def __init__(self, on: date) -> None:
        self.on = on
        super().__init__(f"no rule set in force on {on.isoformat()}")


class UnknownRuleSet(RulesError):
    """No rule set has the id asked for."""
