"""R-CUT-50: a "payment cut" cuts the instalment by at least 50% of the scheduled one (LMF Art. 9-2 p.2 sub 1-1,
added by Law 205-VIII of 30.06.2025)."""

from __future__ import annotations

from decimal import Decimal

from rules.citations import rule_outcome
from rules.ids import R_CUT_50
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet
from schedules.result import PlanResult
from schedules.terms import LoanSnapshot, PlanParams


def cut_request(requested: PlanParams | None, ruleset: RuleSet) -> RuleOutcome | None:
    """LMF Art. 9-2 p.2 sub 1-1: a requested payment cut is the statutory one when it is ≥ 50%.

    ``None`` where the set has no such rule (before 2025-09-01); ``passed=None`` when no cut is requested.
    """
    minimum = ruleset.payment_cut_min_pct
    if minimum is None:
        return None
    pct = None if requested is None else requested.payment_cut_pct
    passed = None if pct is None else pct >= minimum
    return rule_outcome(
        R_CUT_50,
        passed,
        {"requested_cut_pct": pct, "min_cut_pct": minimum},
    )


def cut_plan(plan: PlanResult, loan: LoanSnapshot, ruleset: RuleSet) -> RuleOutcome | None:
    """LMF Art. 9-2 p.2 sub 1-1: a "payment cut" plan's largest regular instalment ≤ (1 − 50%) × scheduled payment.

    ``None`` where the set has no such rule; ``passed=None`` for plans that are not a payment cut.
    """
    minimum = ruleset.payment_cut_min_pct
    if minimum is None:
        return None
    if plan.params.payment_cut_pct is None:
        passed: bool | None = None
    else:
        limit = loan.scheduled_payment * (1 - minimum / Decimal(100))
        passed = plan.params.payment_cut_pct >= minimum and plan.metrics.max_regular_payment <= limit
    return rule_outcome(
        R_CUT_50,
        passed,
        {
            "scheduled_payment": loan.scheduled_payment,
            "max_regular_payment": plan.metrics.max_regular_payment,
            "requested_cut_pct": plan.params.payment_cut_pct,
            "achieved_cut_pct": plan.metrics.payment_cut_pct,
            "min_cut_pct": minimum,
        },
    )
