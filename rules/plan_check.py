"""Checks of a restructuring plan against the law, and its KDN and DTI at the assessed incomes (SPEC §3-4)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from rules.arrears import no_interest_on_arrears
from rules.gesv_cap import gesv_cap
from rules.ids import R_NO_WORSE
from rules.income import IncomeSummary
from rules.kdn import burden
from rules.mandatory import mandatory_plan
from rules.no_worse import PROBLEM_RATE_RAISED, no_worse
from rules.outcome import RuleOutcome
from rules.payment_cut import cut_plan
from rules.ruleset import RuleSet
from rules.texts import Language, explain
from schedules.result import PlanResult, Violation
from schedules.terms import LoanSnapshot


def plan_rules(
    plan: PlanResult,
    *,
    loan: LoanSnapshot,
    ruleset: RuleSet,
    start_on: date,
    consent: bool,
    mandatory_applies: bool,
    fees: Decimal = Decimal("0.00"),
) -> tuple[RuleOutcome, ...]:
    """LMF Art. 4 p.6-7, Art. 5, Art. 7 p.3, Art. 9-2 p.2-3: the outcome of every rule on a plan.

    R-NO-WORSE, R-CUT-50 (sets that have it; payment-cut plans), R-GESV-CAP, R-NO-INTEREST-ON-ARREARS, and
    R-MANDATORY when mandatory approval applies. Empty (infeasible) schedules get only R-NO-WORSE.
    """
    out = [no_worse(loan, plan.params, consent=consent, fees=fees, plan_maturity=plan.metrics.maturity_on)]
    cut = cut_plan(plan, loan, ruleset)
    if cut is not None and plan.schedule:
        out.append(cut)
    if plan.schedule:
        out.append(gesv_cap(plan.metrics.gesv_pct, ruleset))
        out.append(no_interest_on_arrears(plan, loan, start_on=start_on))
    if mandatory_applies:
        out.append(mandatory_plan(plan.params, ruleset, fees=fees))
    return tuple(out)


def _violation(outcome: RuleOutcome, engine: tuple[Violation, ...], lang: Language) -> Violation | None:
    if outcome.passed is not False:
        return None
    if outcome.rule == R_NO_WORSE and any(v.rule == R_NO_WORSE for v in engine):
        # The engine already reports a raised rate; report only what it does not.
        given = outcome.figures.get("problems")
        problems = tuple(p for p in given if p != PROBLEM_RATE_RAISED) if isinstance(given, tuple) else ()
        if not problems:
            return None
        outcome = dataclasses.replace(outcome, figures={**outcome.figures, "problems": problems})
    return Violation(rule=outcome.rule, message=explain(outcome, lang))


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
    lang: Language = "en",
) -> PlanResult:
    """LMF Art. 4 p.6-7, Art. 5, Art. 7 p.3, Art. 9-2 p.2-3; NBRK Res. 215: the plan with rule violations appended
    (messages in ``lang``), ``feasible=False`` if there are any, and ``metrics.kdn`` / ``metrics.dti_recent`` filled
    from its largest regular instalment (``None`` for an empty schedule or no income).

    ``consent``: the borrower requested or accepted these terms. ``fees``: any fee the restructuring charges.
    """
    outcomes = plan_rules(
        plan,
        loan=loan,
        ruleset=ruleset,
        start_on=start_on,
        consent=consent,
        mandatory_applies=mandatory_applies,
        fees=fees,
    )
    added = [v for v in (_violation(o, plan.violations, lang) for o in outcomes) if v is not None]
    metrics = plan.metrics
    if plan.schedule:
        b = burden(plan.metrics.max_regular_payment, other_monthly_debt_payments, incomes)
        metrics = dataclasses.replace(metrics, kdn=b.kdn, dti_recent=b.dti_recent)
    return dataclasses.replace(
        plan,
        violations=plan.violations + tuple(added),
        feasible=plan.feasible and not added,
        metrics=metrics,
    )
