"""The inputs of the engine: a loan snapshot and a restructuring plan's parameters (SPEC §2, §4).

Plain frozen values. Money is ``Decimal`` with two places; rates are nominal annual percentages as ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Method = Literal["annuity", "differentiated", "principal_first"]
DayCount = Literal["30E/360", "actual/365"]
Security = Literal["none", "pledge", "mortgage", "deposit"]
DeferralOf = Literal["principal", "principal_and_interest", "interest_free"]
METHODS: tuple[Method, ...] = ("annuity", "differentiated", "principal_first")
DAY_COUNTS: tuple[DayCount, ...] = ("30E/360", "actual/365")
SECURITIES: tuple[Security, ...] = ("none", "pledge", "mortgage", "deposit")
DEFERRALS: tuple[DeferralOf, ...] = ("principal", "principal_and_interest", "interest_free")
"""``interest_free``: zero instalments and no interest accrued (the conscript's deferral, LMF Art. 7 p.2 sub 11-2)."""

ALL = "all"
"""A forgiveness amount meaning "the whole of that bucket"."""


@dataclass(frozen=True)
class LoanSnapshot:
    """A loan as the core banking system reports it on ``as_of``."""

    principal: Decimal
    annual_rate_pct: Decimal
    term_months: int
    method: Method
    day_count: DayCount
    payment_day: int
    issued_on: date
    as_of: date
    outstanding_principal: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    penalties: Decimal
    remaining_term_months: int
    scheduled_payment: Decimal
    next_payment_on: date
    secured_by: Security = "none"
    collateral_value: Decimal | None = None
    overdue_since: date | None = None
    accrued_interest: Decimal = Decimal("0.00")
    """SPEC §8: interest accrued on the principal since the last due date, not yet due, as of ``as_of``."""
    with_collection_agency_since: date | None = None
    """LMF Art. 9-2 p.8: the day a collection agency took the debt (no interest or penalty accrues meanwhile)."""


@dataclass(frozen=True)
class Forgiveness:
    """Amounts forgiven from the overdue buckets: a ``Decimal`` or ``ALL``; ``None`` forgives nothing."""

    overdue_principal: Decimal | Literal["all"] | None = None
    overdue_interest: Decimal | Literal["all"] | None = None
    penalties: Decimal | Literal["all"] | None = None


@dataclass(frozen=True)
class PlanParams:
    """One set of changes (SPEC §4). Every field left ``None`` means "unchanged"; ``PlanParams()`` is the baseline."""

    new_rate_pct: Decimal | None = None
    extra_months: int | None = None
    payment_cut_pct: Decimal | None = None
    deferral_months: int | None = None
    deferral_of: DeferralOf | None = None
    method: Method | None = None
    payment_day: int | None = None
    forgive: Forgiveness | None = None
    settlement_value: Decimal | None = None
    forgive_shortfall: bool = False
    label: str | None = field(default=None, compare=False)
