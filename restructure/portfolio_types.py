"""The portfolio what-if's request, per-loan outcome and aggregate (SPEC §2, §4, §5), and the row it reads.

The definitions of the figures are in ``restructure/portfolio.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from restructure.snapshots import SNAPSHOT_FIELDS
from rules.borrower import BorrowerFlags
from schedules.terms import PlanParams

FLAG_COLUMNS = ("vulnerable_categories", "targeted_social_assistance", "emergency_affected",
                 "other_monthly_debt_payments")
COLUMNS = ("id", "contract_number", *SNAPSHOT_FIELDS, *FLAG_COLUMNS)
AT = {name: i for i, name in enumerate(COLUMNS)}
Row = Sequence[Any]
"""A loan as the service reads it: the values of ``COLUMNS`` (key = loan id, or the index of an inline loan)."""


@dataclass(frozen=True)
class InlineLoan:
    """A loan given in the request: snapshot fields (``SNAPSHOT_FIELDS``, ``contract_number``?), flags, incomes."""

    snapshot: Mapping[str, Any]
    borrower: BorrowerFlags = field(default_factory=BorrowerFlags)
    incomes: Mapping[date, Decimal] | None = None


@dataclass(frozen=True)
class WhatIfRequest:
    """``plan`` for every loan, or ``None`` for the recommended plan of each; ``loan_ids`` (``None``: every stored
    loan) or ``loans`` (inline). ``cursor`` is the key after which the page starts."""

    start_on: date
    plan: PlanParams | None
    loan_ids: Sequence[int] | None = None
    loans: Sequence[InlineLoan] | None = None
    incomes_by_loan: Mapping[int, Mapping[date, Decimal]] = field(default_factory=dict)
    limit: int = 100
    cursor: int | None = None


@dataclass(frozen=True)
class LoanOutcome:
    """One loan's result. Money is ``Decimal`` with two places; figures are ``None`` when the plan is infeasible,
    ``kdn`` / ``dti_recent`` / ``affordable`` also without incomes, ``target_met`` outside ``recommended``."""

    loan_id: int | None
    index: int | None
    contract_number: str | None
    feasible: bool
    violations: tuple[str, ...]
    current_payment: Decimal
    first_payment: Decimal | None
    max_regular_payment: Decimal | None
    relief: Decimal | None
    instalments: int | None
    maturity_on: date | None
    total_paid: Decimal | None
    concession: Decimal | None
    kdn: Decimal | None
    dti_recent: Decimal | None
    affordable: bool | None
    mandatory: bool
    target_met: bool | None
    plan: Mapping[str, Any]


@dataclass(frozen=True)
class Aggregate:
    """Counts and totals over the whole selection (totals over the feasible plans)."""

    loans: int
    feasible: int
    with_incomes: int
    affordable: int
    mandatory: int
    total_relief: Decimal
    total_concession: Decimal


@dataclass(frozen=True)
class WhatIfResult:
    """The page of per-loan results, the cursor of the next page (``None``: last page) and the aggregate."""

    items: tuple[LoanOutcome, ...]
    next_cursor: str | None
    aggregate: Aggregate
    rule_set: str
    target: Decimal


