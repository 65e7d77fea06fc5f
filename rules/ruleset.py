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
class VulnerableGroup:
    """Housing Law Art. 68: one category, the item it is, and the day it entered the article (``confirmed=False``:
    UNCONFIRMED in the research, see ``source``)."""

    code: str
    item: str
    since: date
    confirmed: bool
    source: str


@dataclass(frozen=True)
class ShortLoanCaps:
    """Joint ARDFM Res. 62 / NBRK Res. 45 (2024): loans of ≤ ``max_days`` days and ≤ ``max_mrp`` MRP have a nominal
    rate cap per day and their own GESV cap. ``mrp_kzt``: the MRP by year of issue."""

    max_days: int
    max_mrp: int
    daily_rate_cap_pct: Decimal
    gesv_cap_pct: Decimal
    mrp_kzt: tuple[tuple[int, Decimal], ...]
    source: str

    def mrp_for(self, year: int) -> Decimal | None:
        """The MRP of ``year`` (``None`` when the set does not know it)."""
        return dict(self.mrp_kzt).get(year)


@dataclass(frozen=True)
class MilitaryDeferral:
    """LMF Art. 7 p.2 sub 11-2: a conscript's deferral runs to the end of service plus ``extra_days``."""

    extra_days: int
    source: str


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
    vulnerable_groups: tuple[VulnerableGroup, ...] = ()
    short_loan: ShortLoanCaps | None = None
    military_service: MilitaryDeferral | None = None

    def vulnerable_codes(self, on: date | None = None) -> tuple[str, ...]:
        """Housing Law Art. 68 codes in the statute's order; with ``on``, only those in the article on that day."""
        return tuple(g.code for g in self.vulnerable_groups if on is None or g.since <= on)
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


def _groups(raw: Any) -> tuple[VulnerableGroup, ...]:
    return tuple(
        VulnerableGroup(
            code=str(g["code"]),
            item=str(g["item"]),
            since=date.fromisoformat(g["since"]),
            confirmed=bool(g["confirmed"]),
            source=str(g["source"]),
        )
        for g in raw or ()
    )


def _short(raw: Any) -> ShortLoanCaps | None:
    if raw is None:
        return None
    return ShortLoanCaps(
        max_days=int(raw["max_days"]),
        max_mrp=int(raw["max_mrp"]),
        daily_rate_cap_pct=_dec(raw["daily_rate_cap_pct"], "short_loan.daily_rate_cap_pct"),
        gesv_cap_pct=_dec(raw["gesv_cap_pct"], "short_loan.gesv_cap_pct"),
        mrp_kzt=tuple(sorted((int(y), _dec(v, "short_loan.mrp_kzt")) for y, v in raw["mrp_kzt"].items())),
        source=str(raw["source"]),
    )


def _military(raw: Any) -> MilitaryDeferral | None:
    if raw is None:
        return None
    return MilitaryDeferral(extra_days=int(raw["extra_days"]), source=str(raw["source"]))


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
        vulnerable_groups=_groups(raw.get("vulnerable_groups")),
        short_loan=_short(raw.get("short_loan")),
        military_service=_military(raw.get("military_service")),
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


# --- legal periods (SPEC §8 "Everything legal is versioned") ---------------------------------------------------------


@dataclass(frozen=True)
class Periods:
    """The workflow's legal periods in calendar days, and the mandatory minimum, each with its clause."""

    ruleset_id: str
    decision_days: int
    response_days: int
    ombudsman_days: int
    mandatory_min_months: int
    citations: tuple[tuple[str, str], ...]

    def citation(self, name: str) -> str:
        """The clause behind one period (``decision_days``, ``response_days``, ...)."""
        return dict(self.citations)[name]


_PERIOD_NAMES = ("decision_days", "response_days", "ombudsman_days", "mandatory_min_months")


def _periods(raw: dict[str, Any]) -> Periods:
    block = raw["periods"]
    citations = block["citations"]
    values: dict[str, int] = {}
    for name in _PERIOD_NAMES:
        value = block[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RulesError(f"rule set {raw['id']}: periods.{name} must be a positive integer")
        if not str(citations.get(name, "")).strip():
            raise RulesError(f"rule set {raw['id']}: periods.{name} needs a citation")
        values[name] = value
    if values["mandatory_min_months"] != int(raw["mandatory_min_months"]):
        raise RulesError(f"rule set {raw['id']}: periods.mandatory_min_months differs from mandatory_min_months")
    return Periods(
        ruleset_id=str(raw["id"]),
        citations=tuple((name, str(citations[name])) for name in _PERIOD_NAMES),
        **values,
    )


@cache
def _all_periods() -> dict[str, Periods]:
    text = resources.files("rules").joinpath("rulesets.json").read_text(encoding="utf-8")
    return {str(r["id"]): _periods(r) for r in json.loads(text)["rulesets"]}


def periods_for(received_on: date) -> Periods:
    """LMF Art. 9-2 p.3-4: the periods of the set in force on ``received_on`` (raises ``NoRuleSetInForce``)."""
    return _all_periods()[ruleset_for(received_on).id]
