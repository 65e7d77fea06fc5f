"""R-PENALTY: penalties (неустойка) within the statutory caps (LMF Art. 6 p.3; Art. 7 p.3 sub 4-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.citations import rule_outcome
from rules.ids import R_PENALTY
from rules.numbers import money
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet
from schedules.terms import LoanSnapshot


@dataclass(frozen=True)
class PenaltyCap:
    """The most penalty the law allows on ``as_of`` and how it was derived."""

    overdue_amount: Decimal
    overdue_days: int
    accrual_days: int
    stop_after_days: int | None
    daily_cap: Decimal
    annual_cap: Decimal
    contract_years: int
    cap: Decimal


def fully_secured(loan: LoanSnapshot) -> bool:
    """LMF Art. 7 p.3 sub 4: principal fully secured by a pledge of registrable property and/or money.

    Approximated from the snapshot: secured (pledge, mortgage, deposit) and collateral value ≥ issued principal.
    """
    return loan.secured_by != "none" and loan.collateral_value is not None and loan.collateral_value >= loan.principal


def stop_after(loan: LoanSnapshot, ruleset: RuleSet) -> int | None:
    """LMF Art. 7 p.3 sub 4-5: days after which nothing accrues — 180 for mortgage loans, none when fully secured
    by other collateral, 90 otherwise."""
    if loan.secured_by == "mortgage":
        return ruleset.penalty.stop_after_days_mortgage
    if fully_secured(loan):
        return None
    return ruleset.penalty.stop_after_days


def _contract_years(issued_on: date, as_of: date) -> int:
    years = as_of.year - issued_on.year
    anniversary_passed = (as_of.month, as_of.day) >= (issued_on.month, issued_on.day)
    return max(1, years + (1 if anniversary_passed else 0))


def penalty_cap(loan: LoanSnapshot, ruleset: RuleSet) -> PenaltyCap:
    """LMF Art. 6 p.3: min(overdue × (0.5%·days 1–90 + 0.03%·later days until the stop), 10% × principal × contract
    years begun). The overdue amount is today's overdue principal + interest, an upper bound of earlier amounts."""
    caps = ruleset.penalty
    overdue = loan.overdue_principal + loan.overdue_interest
    days = 0 if loan.overdue_since is None else max(0, (loan.as_of - loan.overdue_since).days)
    stop = stop_after(loan, ruleset)
    accrual = days if stop is None else min(days, stop)
    first = min(accrual, caps.tier_days)
    later = max(0, accrual - caps.tier_days)
    daily = money(overdue * (caps.daily_pct_until_day * first + caps.daily_pct_after * later) / 100)
    years = _contract_years(loan.issued_on, loan.as_of)
    annual = money(loan.principal * caps.annual_cap_pct_of_principal / 100 * years)
    return PenaltyCap(
        overdue_amount=overdue,
        overdue_days=days,
        accrual_days=accrual,
        stop_after_days=stop,
        daily_cap=daily,
        annual_cap=annual,
        contract_years=years,
        cap=min(daily, annual),
    )


def penalty(loan: LoanSnapshot, ruleset: RuleSet, *, penalties: Decimal | None = None) -> RuleOutcome:
    """LMF Art. 6 p.3; Art. 7 p.3 sub 4-5: the penalties given (default: the snapshot's) are within the cap.

    ``passed=None`` when penalties are charged but ``overdue_since`` is unknown, so the cap cannot be derived.
    """
    charged = loan.penalties if penalties is None else penalties
    cap = penalty_cap(loan, ruleset)
    passed: bool | None
    if charged == 0:
        passed = True
    elif loan.overdue_since is None:
        passed = None
    else:
        passed = charged <= cap.cap
    return rule_outcome(
        R_PENALTY,
        passed,
        {
            "penalties": charged,
            "cap": cap.cap,
            "daily_cap": cap.daily_cap,
            "annual_cap": cap.annual_cap,
            "overdue_amount": cap.overdue_amount,
            "overdue_days": cap.overdue_days,
            "accrual_days": cap.accrual_days,
            "stop_after_days": cap.stop_after_days,
            "contract_years": cap.contract_years,
        },
    )


def penalty_excess(loan: LoanSnapshot, ruleset: RuleSet) -> Decimal:
    """LMF Art. 6 p.3; SPEC §8 "Unlawful penalties are never collected": the penalties above the lawful cap, which
    every plan drops from the arrears bucket; 0 when within the cap or when the cap cannot be derived (no
    ``overdue_since``)."""
    if loan.penalties <= 0 or loan.overdue_since is None:
        return Decimal("0.00")
    return max(Decimal("0.00"), loan.penalties - penalty_cap(loan, ruleset).cap)
