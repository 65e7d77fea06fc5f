"""The borrower's circumstances the rules read (SPEC §3): vulnerable groups, АСП, emergency, other debts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rules.errors import RulesError
from rules.vulnerable import validate_categories


@dataclass(frozen=True)
class BorrowerFlags:
    """``vulnerable_categories`` are Housing Law Art. 68 codes (validated, put in the statute's order);
    ``targeted_social_assistance`` is АСП (адресная социальная помощь, Social Code Art. 1 sub 98)."""

    vulnerable_categories: tuple[str, ...] = ()
    targeted_social_assistance: bool = False
    emergency_affected: bool = False
    other_monthly_debt_payments: Decimal = Decimal("0.00")

    def __post_init__(self) -> None:
        """Validate the codes and the amount."""
        object.__setattr__(self, "vulnerable_categories", validate_categories(self.vulnerable_categories))
        if self.other_monthly_debt_payments < 0:
            raise RulesError("other_monthly_debt_payments must be ≥ 0")

    @property
    def vulnerable(self) -> bool:
        """Belongs to at least one socially vulnerable group."""
        return bool(self.vulnerable_categories)
