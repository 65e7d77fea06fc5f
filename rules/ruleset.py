"""Versioned rule sets (SPEC §3): the limits in force on an application's ``received_on``, read from data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Literal

from rules.errors import NoRuleSetInForce, RulesError, UnknownRuleSet

RequestGround = Literal["payment_cut", "deferral"]
REQUEST_GROUNDS: tuple[RequestGround, ...] = ("payment_cut", "deferral")


@dataclass(frozen=True)
class PenaltyCaps:
    """LMF Art. 6 p.3, Art. 7 p.3 sub 4-5: daily caps by tier, the yearly cap, and when accrual stops."""

    daily_pct_until_day: Decimal
    daily_pct_after: Decimal
    tier_days: int
    annual_cap_pct_of_principal: Decimal
    stop_after_days: int
    stop_after_days_mortgage: int


@dataclass(frozen=True)
class DelinquencyPeriods:
    """LMF Art. 9-2 p.1-2: the notice within ``notice_days`` of the delinquency, the window of ``window_days``."""

    notice_days: int
    window_days: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """One version of the rules. ``payment_cut_min_pct`` is ``None`` where R-CUT-50 did not exist yet."""

    id: str
    effective_from: date
    title: str
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    income_drop_threshold_pct: Decimal
    kdn_limit: Decimal
    dti_target: Decimal
    mandatory_min_months: int
    mandatory_request_grounds: tuple[RequestGround, ...]
    mandatory_fee_free: bool
    payment_cut_min_pct: Decimal | None
    gesv_cap_pct: Decimal
    penalty: PenaltyCaps
    kdn_scope: str
    max_term_months: int
    rate_floor_pct: Decimal
    discount_rate_pct: Decimal
    delinquency: DelinquencyPeriods | None = None


@dataclass(frozen=True)
class RuleSetRef:
    """What an assessment reports about the set it used."""

    id: str
    effective_from: date


def _dec(raw: Any, name: str) -> Decimal:
    if not isinstance(raw, str):
        raise RulesError(f"rule set field {name} must be a decimal string")
    return Decimal(raw)


def _grounds(raw: Any) -> tuple[RequestGround, ...]:
    out: list[RequestGround] = []
    for g in raw:
        if g == "payment_cut":
            out.append("payment_cut")
        elif g == "deferral":
            out.append("deferral")
        else:
            raise RulesError(f"unknown mandatory request ground {g!r}")
    return tuple(out)


def _build(raw: dict[str, Any]) -> RuleSet:
    p = raw["penalty"]
    cut = raw["payment_cut_min_pct"]
    grounds = _grounds(raw["mandatory_request_grounds"])
    if ("payment_cut" in grounds) != (cut is not None):
        raise RulesError(f"rule set {raw['id']}: payment_cut ground and payment_cut_min_pct go together")
    return RuleSet(
        id=str(raw["id"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        title=str(raw["title"]),
        sources=tuple(str(s) for s in raw["sources"]),
        notes=tuple(str(s) for s in raw["notes"]),
        income_drop_threshold_pct=_dec(raw["income_drop_threshold_pct"], "income_drop_threshold_pct"),
        kdn_limit=_dec(raw["kdn_limit"], "kdn_limit"),
        dti_target=_dec(raw["dti_target"], "dti_target"),
        mandatory_min_months=int(raw["mandatory_min_months"]),
        mandatory_request_grounds=grounds,
        mandatory_fee_free=bool(raw["mandatory_fee_free"]),
        payment_cut_min_pct=None if cut is None else _dec(cut, "payment_cut_min_pct"),
        gesv_cap_pct=_dec(raw["gesv_cap_pct"], "gesv_cap_pct"),
        penalty=PenaltyCaps(
            daily_pct_until_day=_dec(p["daily_pct_until_day"], "penalty.daily_pct_until_day"),
            daily_pct_after=_dec(p["daily_pct_after"], "penalty.daily_pct_after"),
            tier_days=int(p["tier_days"]),
            annual_cap_pct_of_principal=_dec(p["annual_cap_pct_of_principal"], "penalty.annual_cap"),
            stop_after_days=int(p["stop_after_days"]),
            stop_after_days_mortgage=int(p["stop_after_days_mortgage"]),
        ),
        kdn_scope=str(raw["kdn_scope"]),
        max_term_months=int(raw["max_term_months"]),
        rate_floor_pct=_dec(raw["rate_floor_pct"], "rate_floor_pct"),
        discount_rate_pct=_dec(raw["discount_rate_pct"], "discount_rate_pct"),
        delinquency=_delinquency(raw.get("delinquency")),
    )


def _delinquency(raw: Any) -> DelinquencyPeriods | None:
    if raw is None:
        return None
    return DelinquencyPeriods(
        notice_days=int(raw["notice_days"]),
        window_days=int(raw["window_days"]),
        sources=tuple(str(s) for s in raw["sources"]),
    )


@cache
def all_rulesets() -> tuple[RuleSet, ...]:
    """Every rule set in ``rules/rulesets.json``, oldest first (the admin's read-only listing)."""
    text = resources.files("rules").joinpath("rulesets.json").read_text(encoding="utf-8")
    sets = tuple(sorted((_build(r) for r in json.loads(text)["rulesets"]), key=lambda s: s.effective_from))
    if len({s.id for s in sets}) != len(sets) or len({s.effective_from for s in sets}) != len(sets):
        raise RulesError("rule set ids and effective dates must be unique")
    return sets


def ruleset_for(received_on: date) -> RuleSet:
    """SPEC §3: the set in force on ``received_on`` — the latest whose ``effective_from`` ≤ that day."""
    in_force = [s for s in all_rulesets() if s.effective_from <= received_on]
    if not in_force:
        raise NoRuleSetInForce(received_on)
    return in_force[-1]


def ruleset_by_id(ruleset_id: str) -> RuleSet:
    """The set with this id (a stored decision names its set)."""
    for s in all_rulesets():
        if s.id == ruleset_id:
            return s
    raise UnknownRuleSet(f"no rule set {ruleset_id!r}")


def ref(ruleset: RuleSet) -> RuleSetRef:
    """The id and effective date of a set, as an assessment reports them."""
    return RuleSetRef(id=ruleset.id, effective_from=ruleset.effective_from)
