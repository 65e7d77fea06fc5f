"""The outputs of the engine: schedule lines, totals, metrics and violations of a plan (SPEC §2, §5)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from schedules.terms import PlanParams


@dataclass(frozen=True)
class ScheduleLine:
    """One instalment: ``payment = principal + interest + arrears``; ``balance`` is interest-bearing principal left."""

    n: int
    due_on: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    arrears: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Violation:
    """Why a plan is infeasible or unlawful: a rule id (``R-…``) or an engine check id (``E-…``).

    The engine's own checks say it in plain English (``message``). A rule's violation carries its ``text_key`` and
    ``figures`` instead (``message`` empty): its words are rendered at the edge, in the reader's language
    (``api/rule_texts.py``).
    """

    rule: str
    message: str
    text_key: str | None = None
    figures: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Totals:
    """Sums over the schedule, and what the plan forgives."""

    payment: Decimal
    principal: Decimal
    interest: Decimal
    arrears: Decimal
    forgiven: Decimal
    penalty_excess_removed: Decimal = Decimal("0.00")
    """SPEC §8: penalties above the lawful cap (R-PENALTY) dropped from the arrears bucket, never collected."""


@dataclass(frozen=True)
class Metrics:
    """Figures of a plan. ``kdn`` and ``dti_recent`` need incomes, so ``rules/`` fills them in."""

    first_payment: Decimal
    max_regular_payment: Decimal
    payment_cut_pct: Decimal
    instalments: int
    maturity_on: date | None
    gesv_pct: Decimal | None
    npv: Decimal
    concession: Decimal
    kdn: Decimal | None = None
    dti_recent: Decimal | None = None


@dataclass(frozen=True)
class PlanResult:
    """A plan applied to a loan: its schedule and figures, or ``feasible=False`` with the violations that say why."""

    params: PlanParams
    feasible: bool
    violations: tuple[Violation, ...]
    schedule: tuple[ScheduleLine, ...]
    totals: Totals
    metrics: Metrics
    needs_consent: bool = False
    """SPEC §8: lawful, but only with the borrower's consent (a longer term, another method)."""
