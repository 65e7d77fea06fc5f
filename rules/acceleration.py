"""R-NO-ACCELERATION: no demand for early repayment while an application is under review (LMF Art. 9-2 p.3;
policy p.75)."""

from __future__ import annotations

from rules.citations import rule_outcome
from rules.ids import R_NO_ACCELERATION
from rules.outcome import RuleOutcome


def early_repayment_demand_allowed(under_review: bool) -> bool:
    """LMF Art. 9-2 p.3: the flag the core banking system reads — ``False`` while an application is under review."""
    return not under_review


def no_acceleration(under_review: bool, *, demand_made: bool = False) -> RuleOutcome:
    """LMF Art. 9-2 p.3: fails when an early repayment demand is made while the application is under review;
    ``passed=None`` when no application is under review."""
    passed = None if not under_review else not demand_made
    return rule_outcome(
        R_NO_ACCELERATION,
        passed,
        {
            "under_review": under_review,
            "demand_made": demand_made,
            "early_repayment_demand_allowed": early_repayment_demand_allowed(under_review),
        },
    )
