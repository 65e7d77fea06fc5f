"""Short loans (≤ 45 days and ≤ 45 MRP): a nominal rate cap of 0.3% a day and a GESV cap of 179% (joint ARDFM
Res. 62 / NBRK Res. 45 of 2024 as amended in 2025; LMF Art. 5). The limits are the set's ``short_loan`` block."""

from __future__ import annotations

from decimal import Decimal

from rules.citations import rule_outcome
from rules.ids import R_SHORT_LOAN_RATE
from rules.no_worse import contractual_maturity
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet
from schedules.terms import LoanSnapshot

DAYS_IN_YEAR = Decimal(365)


def loan_days(loan: LoanSnapshot) -> int:
    """Days from issue to the contract's last due date."""
    return (contractual_maturity(loan) - loan.issued_on).days


def is_short(loan: LoanSnapshot, ruleset: RuleSet) -> bool:
    """Joint ARDFM 62 / NBRK 45: the loan ran ≤ ``max_days`` days and its principal was ≤ ``max_mrp`` MRP of the year
    of issue (false where the set has no such regime, or does not know that year's MRP)."""
    caps = ruleset.short_loan
    if caps is None:
        return False
    mrp = caps.mrp_for(loan.issued_on.year)
    if mrp is None:
        return False
    return loan_days(loan) <= caps.max_days and loan.principal <= mrp * caps.max_mrp


def gesv_cap_in_force(loan: LoanSnapshot, ruleset: RuleSet) -> Decimal:
    """LMF Art. 5: the GESV cap of the loan — the short-loan cap (179%) for a short loan, else the set's (46%)."""
    if ruleset.short_loan is not None and is_short(loan, ruleset):
        return ruleset.short_loan.gesv_cap_pct
    return ruleset.gesv_cap_pct


def short_loan_rate(loan: LoanSnapshot, rate_pct: Decimal, ruleset: RuleSet) -> RuleOutcome | None:
    """Joint ARDFM 62 / NBRK 45: a short loan's nominal rate per day (annual / 365) ≤ 0.3%. ``None`` when the loan is
    not a short loan of a set with that regime."""
    caps = ruleset.short_loan
    if caps is None or not is_short(loan, ruleset):
        return None
    daily = (rate_pct / DAYS_IN_YEAR).quantize(Decimal("0.0001"))
    passed = rate_pct <= caps.daily_rate_cap_pct * DAYS_IN_YEAR
    return rule_outcome(
        R_SHORT_LOAN_RATE,
        passed,
        {
            "rate_pct": rate_pct,
            "daily_rate_pct": daily,
            "daily_cap_pct": caps.daily_rate_cap_pct,
            "loan_days": loan_days(loan),
            "max_days": caps.max_days,
            "max_mrp": caps.max_mrp,
        },
    )
