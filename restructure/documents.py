"""JSON documents of assessments, plans and recommendations: what the API returns and what a decision stores.

Money is a string with two places, ratios with four, percentages as the rules give them. Words are not here: each
rule, step, violation and summary carries its text key and figures, and the API and the pages render them in the
reader's language (``api/rule_texts.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from restructure.snapshots import params_document
from rules.assessment import Assessment
from rules.outcome import Figure, RuleOutcome
from rules.recommend import Recommendation, WaterfallStep
from schedules.result import PlanResult, Violation


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def figures_document(figures: Mapping[str, Figure]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in figures.items()}


def rule_document(outcome: RuleOutcome) -> dict[str, Any]:
    return {
        "rule": outcome.rule,
        "passed": outcome.passed,
        "figures": figures_document(outcome.figures),
        "citation": str(outcome.citation),
        "text_key": outcome.text_key,
    }


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """API.md ``Assessment``."""
    income = assessment.income
    return {
        "income": {
            "avg2": _money(income.avg2),
            "avg6": _money(income.avg6),
            "avg12": _money(income.avg12),
            "drop_pct": None if income.drop_pct is None else f"{income.drop_pct:.2f}",
            "drop_test_passed": income.drop_test_passed,
        },
        "kdn": _ratio(assessment.kdn),
        "dti_recent": _ratio(assessment.dti_recent),
        "mandatory": {"applies": assessment.mandatory.applies, "grounds": list(assessment.mandatory.grounds)},
        "rule_set": {
            "id": assessment.rule_set.id,
            "effective_from": assessment.rule_set.effective_from.isoformat(),
        },
        "rules": [rule_document(outcome) for outcome in assessment.rules],
    }


def plan_document(plan: PlanResult) -> dict[str, Any]:
    """API.md ``Plan``."""
    m = plan.metrics
    return {
        "params": params_document(plan.params),
        "feasible": plan.feasible,
        "needs_consent": plan.needs_consent,
        "violations": [violation_document(v) for v in plan.violations],
        "schedule": [
            {
                "n": line.n,
                "due_on": line.due_on.isoformat(),
                "payment": _money(line.payment),
                "principal": _money(line.principal),
                "interest": _money(line.interest),
                "arrears": _money(line.arrears),
                "balance": _money(line.balance),
            }
            for line in plan.schedule
        ],
        "totals": {
            "payment": _money(plan.totals.payment),
            "principal": _money(plan.totals.principal),
            "interest": _money(plan.totals.interest),
            "arrears": _money(plan.totals.arrears),
            "forgiven": _money(plan.totals.forgiven),
            "penalty_excess_removed": _money(plan.totals.penalty_excess_removed),
        },
        "metrics": {
            "first_payment": _money(m.first_payment),
            "max_regular_payment": _money(m.max_regular_payment),
            "payment_cut_pct": f"{m.payment_cut_pct:.2f}",
            "instalments": m.instalments,
            "maturity_on": None if m.maturity_on is None else m.maturity_on.isoformat(),
            "kdn": _ratio(m.kdn),
            "dti_recent": _ratio(m.dti_recent),
            "gesv_pct": None
            if m.gesv_pct is None
            else f"{m.gesv_pct.copy_abs() if m.gesv_pct == 0 else m.gesv_pct:.1f}",
            "npv": _money(m.npv),
            "concession": _money(m.concession),
        },
    }


def violation_document(v: Violation) -> dict[str, Any]:
    """A violation: the engine's words, or a rule's text key and figures (worded at the edge)."""
    if v.text_key is None:
        return {"rule": v.rule, "message": v.message}
    return {"rule": v.rule, "message": v.message, "text_key": v.text_key, "figures": figures_document(v.figures or {})}


def step_document(step: WaterfallStep) -> dict[str, Any]:
    return {
        "step": step.step,
        "outcome": step.outcome,
        "kept": step.kept,
        "params": None if step.params is None else params_document(step.params),
        "setting": step.setting,
        "payment": _money(step.payment),
        "dti_recent": _ratio(step.dti_recent),
        "concession": _money(step.concession),
        "evaluations": step.evaluations,
        "text_key": step.text_key,
        "figures": figures_document(step.figures),
    }


def recommendation_document(recommendation: Recommendation) -> dict[str, Any]:
    """API.md ``recommended``: the plan, the step log and whether the target was met."""
    return {
        "plan": plan_document(recommendation.plan),
        "steps": [step_document(step) for step in recommendation.steps],
        "target_met": recommendation.target_met,
        "target": _ratio(recommendation.target),
        "summary_key": recommendation.summary_key,
        "summary_figures": figures_document(recommendation.summary_figures),
    }
