"""Checks of a restructuring plan against the law, and its KDN and DTI at the assessed incomes (SPEC §3-4)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from functools import lru_cache

from rules.arrears import no_interest_on_arrears
from rules.gesv_cap import gesv_cap
from rules.ids import R_NO_WORSE
from rules.income import IncomeSummary
from rules.kdn import burden
from rules.mandatory import mandatory_plan
from rules.military import military_outcome
from rules.no_worse import CONSENT_PROBLEMS, PROBLEM_RATE_RAISED, no_worse
from rules.outcome import RuleOutcome
from rules.payment_cut import cut_plan
from rules.penalty import penalty_excess
from rules.ruleset import RuleSet
from rules.short_loan import gesv_cap_in_force, short_loan_rate
from schedules.plan import build_plan
from schedules.result import PlanResult, Violation
from schedules.terms import LoanSnapshot, PlanParams


@lru_cache(maxsize=256)
def baseline_gesv(loan: LoanSnapshot, start_on: date, max_term_months: int, excess: Decimal) -> Decimal | None:
    """The GESV of the baseline (the contract's remaining schedule unchanged) from ``start_on``."""
    return build_plan(
        loan,
        PlanParams(),
        start_on=start_on,
        max_term_months=max_term_months,
        discount_rate_pct=Decimal(0),
        penalty_excess=excess,
    ).metrics.gesv_pct


def _gesv_rule(plan: PlanResult, loan: LoanSnapshot, ruleset: RuleSet, start_on: date) -> RuleOutcome:
    """LMF Art. 5; SPEC §8: the cap in force (179% for a short loan), scoped by the baseline's GESV, which is
    computed only when the plan's exceeds the cap."""
    cap = gesv_cap_in_force(loan, ruleset)
    gesv = plan.metrics.gesv_pct
    if gesv is None or gesv <= cap:
        return gesv_cap(gesv, ruleset, cap_pct=cap)
    base = baseline_gesv(loan, start_on, ruleset.max_term_months, penalty_excess(loan, ruleset))
    return gesv_cap(gesv, ruleset, cap_pct=cap, baseline_gesv_pct=base)


def plan_rules(
    plan: PlanResult,
    *,
    loan: LoanSnapshot,
    ruleset: RuleSet,
    start_on: date,
    consent: bool,
    mandatory_applies: bool,
    fees: Decimal = Decimal("0.00"),
    military_service_until: date | None = None,
) -> tuple[RuleOutcome, ...]:
    """LMF Art. 4 p.6-7, Art. 5, Art. 7 p.2 sub 11-2, Art. 7 p.3, Art. 9-2 p.2-3: the outcome of every rule on a plan.

    R-NO-WORSE, R-CUT-50 (sets that have it; payment-cut plans), R-GESV-CAP, R-SHORT-LOAN-RATE (short loans),
    R-NO-INTEREST-ON-ARREARS, R-MANDATORY when mandatory approval applies, R-MILITARY-SERVICE for a conscript.
    Empty (infeasible) schedules get only R-NO-WORSE (and R-SHORT-LOAN-RATE, R-MILITARY-SERVICE).
    """
    out = [no_worse(loan, plan.params, consent=consent, fees=fees, plan_maturity=plan.metrics.maturity_on)]
    cut = cut_plan(plan, loan, ruleset)
    if cut is not None and plan.schedule:
        out.append(cut)
    rate = plan.params.new_rate_pct if plan.params.new_rate_pct is not None else loan.annual_rate_pct
    short = short_loan_rate(loan, rate, ruleset)
    if short is not None:
        out.append(short)
    if plan.schedule:
        out.append(_gesv_rule(plan, loan, ruleset, start_on))
        out.append(no_interest_on_arrears(plan, loan, start_on=start_on))
    if mandatory_applies and military_service_until is None:
        out.append(mandatory_plan(plan.params, ruleset, fees=fees))
    if military_service_until is not None:
        pday = plan.params.payment_day if plan.params.payment_day is not None else loan.payment_day
        out.append(military_outcome(military_service_until, start_on, pday, ruleset, plan.params))
    return tuple(out)


def consent_only(outcome: RuleOutcome) -> bool:
    """SPEC §8 "Simulations and consent": R-NO-WORSE failed only for want of the borrower's consent (a longer term,
    another method), which a counter-offer obtains; not what the law forbids whatever the borrower says."""
    problems = outcome.figures.get("problems")
    return (
        outcome.rule == R_NO_WORSE
        and outcome.passed is False
        and isinstance(problems, tuple)
        and bool(problems)
        and set(problems) <= CONSENT_PROBLEMS
    )


def _violation(outcome: RuleOutcome, engine: tuple[Violation, ...]) -> Violation | None:
    if outcome.passed is not False:
        return None
    if outcome.rule == R_NO_WORSE and any(v.rule == R_NO_WORSE for v in engine):
        # The engine already reports a raised rate; report only what it does not.
        given = outcome.figures.get("problems")
        problems = tuple(p for p in given if p != PROBLEM_RATE_RAISED) if isinstance(given, tuple) else ()
        if not problems:
            return None
        outcome = dataclasses.replace(outcome, figures={**outcome.figures, "problems": problems})
    return Violation(rule=outcome.rule, message="", text_key=outcome.text_key, figures=dict(outcome.figures))


def check_plan(
    plan: PlanResult,
    *,
    loan: LoanSnapshot,
    ruleset: RuleSet,
    incomes: IncomeSummary,
    other_monthly_debt_payments: Decimal,
    start_on: date,
    consent: bool,
    mandatory_applies: bool,
    fees: Decimal = Decimal("0.00"),
    military_service_until: date | None = None,
) -> PlanResult:
    """LMF Art. 4 p.6-7, Art. 5, Art. 7 p.3, Art. 9-2 p.2-3; NBRK Res. 215: the plan with rule violations appended
    (each with its text key and figures), ``feasible=False`` if there are any, and ``metrics.kdn`` /
    ``metrics.dti_recent`` filled from its largest regular instalment (``None`` for an empty schedule or no income).

    ``consent``: the borrower requested or accepted these terms; without it, a plan that only lacks it is kept
    feasible with ``needs_consent=True`` (SPEC §8). ``fees``: any fee the restructuring charges.
    """
    outcomes = plan_rules(
        plan,
        loan=loan,
        ruleset=ruleset,
        start_on=start_on,
        consent=consent,
        mandatory_applies=mandatory_applies,
        fees=fees,
        military_service_until=military_service_until,
    )
    needs_consent = any(consent_only(o) for o in outcomes)
    added = [
        v for v in (_violation(o, plan.violations) for o in outcomes if not consent_only(o)) if v is not None
    ]
    metrics = plan.metrics
    if plan.schedule:
        b = burden(plan.metrics.max_regular_payment, other_monthly_debt_payments, incomes)
        metrics = dataclasses.replace(metrics, kdn=b.kdn, dti_recent=b.dti_recent)
    return dataclasses.replace(
        plan,
        violations=plan.violations + tuple(added),
        feasible=plan.feasible and not added,
        metrics=metrics,
        needs_consent=needs_consent,
    )
