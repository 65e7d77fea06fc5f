"""The waterfall: each step in turn reaches the target, none does, and mandatory approval is honoured.

Incomes are chosen from the engine's own figures: with the full concession of steps 1..k−1 the largest instalment
is ``P_prev``, with step k's it is ``P_k``; a recent income of ``P_prev + P_k`` (no other debts) puts the target
instalment (0.5 × income) half-way between them, so step k is the first to reach it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.ids import R_MANDATORY
from rules.recommend import (
    OUTCOME_CONTINUE,
    OUTCOME_TARGET_MET,
    STEP_CUT_RATE,
    STEP_DEFER,
    STEP_EXTEND_TERM,
    STEP_FORGIVE_INTEREST,
    STEP_FORGIVE_PENALTIES,
    STEP_FORGIVE_PRINCIPAL,
    Recommendation,
    recommend,
)
from rules.ruleset import ruleset_for
from schedules.plan import build_plan
from schedules.terms import PlanParams

from .factories import incomes, loan

START = date(2025, 10, 1)
RS = ruleset_for(START)
# Large arrears so that every forgiveness step moves the instalment.
LOAN = loan(
    overdue_principal=Decimal("200000.00"),
    overdue_interest=Decimal("150000.00"),
    penalties=Decimal("60000.00"),
)


def _recommend(  # type: ignore[no-untyped-def]
    recent: Decimal,
    *,
    older: Decimal | None = None,
    borrower: BorrowerFlags | None = None,
    requested: PlanParams | None = None,
):
    b = borrower or BorrowerFlags()
    old = older if older is not None else max(recent, Decimal("100000.00"))
    a = assess(LOAN, b, incomes(START, older=str(old), recent=str(recent)), START, requested)
    return a, recommend(LOAN, a, start_on=START, requested=requested)


def _full_walk() -> Recommendation:
    return _recommend(Decimal("1000.00"))[1]


def _build(params: PlanParams):  # type: ignore[no-untyped-def]
    return build_plan(
        LOAN, params, start_on=START, max_term_months=RS.max_term_months, discount_rate_pct=RS.discount_rate_pct
    )


def test_nothing_reaches_the_target_so_the_lowest_burden_plan_is_returned() -> None:
    rec = _full_walk()
    assert rec.target_met is False
    assert rec.summary_key == "step.not_met"
    kept = [s for s in rec.steps if s.kept]
    assert [s.step for s in kept] == [
        "baseline",
        STEP_FORGIVE_PENALTIES,
        STEP_EXTEND_TERM,
        STEP_CUT_RATE,
        STEP_FORGIVE_INTEREST,
        STEP_FORGIVE_PRINCIPAL,
    ]
    payments = [s.payment for s in kept]
    assert payments == sorted(payments, reverse=True)  # every kept step lowered the instalment
    assert rec.plan.metrics.max_regular_payment == payments[-1]
    assert rec.plan.params.new_rate_pct == RS.rate_floor_pct
    assert rec.plan.params.extra_months == RS.max_term_months - LOAN.remaining_term_months


def test_the_deferral_step_cannot_lower_the_largest_instalment() -> None:
    defer = next(s for s in _full_walk().steps if s.step == STEP_DEFER)
    assert not defer.kept  # infeasible past the maximum term, or without effect on the largest instalment


@pytest.mark.parametrize(
    "step", [STEP_FORGIVE_PENALTIES, STEP_EXTEND_TERM, STEP_CUT_RATE, STEP_FORGIVE_INTEREST, STEP_FORGIVE_PRINCIPAL]
)
def test_each_step_in_turn_reaches_the_target_with_the_smallest_concession(step: str) -> None:
    walk = [s for s in _full_walk().steps if s.kept]
    k = [s.step for s in walk].index(step)
    p_prev, p_k = walk[k - 1].payment, walk[k].payment
    assert p_prev is not None and p_k is not None
    a, rec = _recommend(p_prev + p_k)
    assert rec.target_met is True
    last = rec.steps[-1]
    assert (last.step, last.outcome) == (step, OUTCOME_TARGET_MET)
    assert all(s.outcome != OUTCOME_TARGET_MET for s in rec.steps[:-1])
    assert rec.plan.metrics.dti_recent is not None and rec.plan.metrics.dti_recent <= Decimal("0.5")
    assert rec.plan.feasible
    # One less unit of this step's concession does not reach the target.
    params = rec.plan.params
    if step == STEP_EXTEND_TERM:
        less = dataclasses.replace(params, extra_months=(params.extra_months or 0) - 1)
    elif step == STEP_CUT_RATE:
        less = dataclasses.replace(params, new_rate_pct=(params.new_rate_pct or Decimal(0)) + Decimal("0.01"))
    else:
        bucket = {"forgive_penalties": "penalties", "forgive_interest": "overdue_interest"}.get(
            step, "overdue_principal"
        )
        amount = getattr(params.forgive, bucket)
        full = getattr(LOAN, bucket)
        given = full if amount == "all" else amount
        less = dataclasses.replace(
            params, forgive=dataclasses.replace(params.forgive, **{bucket: given - Decimal("0.01")})
        )
    worse = _build(less)
    assert not worse.feasible or worse.metrics.max_regular_payment > a.income.avg2 * Decimal("0.5")


def test_the_baseline_is_recommended_when_it_is_already_affordable() -> None:
    _, rec = _recommend(Decimal("200000.00"))
    assert rec.target_met and [s.step for s in rec.steps] == ["baseline"]
    assert rec.plan.params == PlanParams()
    assert rec.plan.metrics.concession <= 0 or rec.plan.totals.forgiven == 0


def test_a_mandatory_deferral_is_always_in_the_recommendation() -> None:
    # Affordable on current terms, but the borrower is vulnerable with a >30% drop and asks for a 2-month deferral:
    # the recommendation defers for the legal minimum of 3 months, without fees.
    borrower = BorrowerFlags(vulnerable_categories=("single_parent_family",))
    requested = PlanParams(deferral_months=2, deferral_of="principal")
    a, rec = _recommend(Decimal("150000.00"), older=Decimal("300000.00"), borrower=borrower, requested=requested)
    assert a.mandatory.applies
    assert rec.steps[0].step == "mandatory"
    assert rec.plan.params.deferral_months == 3
    assert R_MANDATORY not in [v.rule for v in rec.plan.violations]
    assert rec.plan.feasible


def test_a_mandatory_payment_cut_is_kept_and_the_walk_goes_on_from_it() -> None:
    borrower = BorrowerFlags(emergency_affected=True)
    requested = PlanParams(payment_cut_pct=Decimal("50"))
    short = loan(
        annual_rate_pct=Decimal("12.00"),
        outstanding_principal=Decimal("400000.00"),
        overdue_principal=Decimal("0.00"),
        overdue_interest=Decimal("0.00"),
        penalties=Decimal("0.00"),
        remaining_term_months=20,
        scheduled_payment=Decimal("22166.30"),
        overdue_since=None,
    )
    a = assess(short, borrower, incomes(START), START, requested)
    rec = recommend(short, a, start_on=START, requested=requested)
    assert a.mandatory.applies
    assert rec.plan.params.payment_cut_pct == Decimal("50")
    assert rec.plan.feasible and rec.target_met
    assert rec.plan.metrics.max_regular_payment <= Decimal("11083.15")


def test_steps_log_their_figures() -> None:
    rec = _full_walk()
    for s in rec.steps:
        assert s.text_key.startswith("step.")
        if s.outcome == OUTCOME_CONTINUE:
            assert s.payment is not None and s.dti_recent is not None and s.concession is not None
