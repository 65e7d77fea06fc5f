"""Invariants: more relief never raises the burden; mandatory approval is monotonic in the income drop."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.income import summarise
from rules.plan_check import check_plan
from rules.recommend import recommend
from rules.ruleset import ruleset_for
from rules.vulnerable import VULNERABLE_CATEGORIES
from schedules.plan import build_plan
from schedules.terms import Forgiveness, PlanParams

from .factories import incomes, loan

START = date(2025, 10, 1)
RS = ruleset_for(START)
money = st.integers(min_value=0, max_value=30_000_000).map(lambda t: Decimal(t).scaleb(-2))


@st.composite
def loans(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    outstanding = Decimal(draw(st.integers(100_000, 2_000_000)))
    rate = Decimal(draw(st.integers(1700, 5600))).scaleb(-2)
    remaining = draw(st.integers(6, 48))
    return loan(
        annual_rate_pct=rate,
        outstanding_principal=outstanding,
        overdue_principal=draw(money),
        overdue_interest=draw(money),
        penalties=draw(money),
        remaining_term_months=remaining,
    )


@settings(max_examples=60, deadline=None)
@given(
    ln=loans(),
    ext=st.tuples(st.integers(1, 30), st.integers(0, 6)),
    cut=st.tuples(st.integers(0, 50), st.integers(0, 50)),
    forgive=st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)),
)
def test_more_relief_never_raises_dti_recent(  # type: ignore[no-untyped-def]
    ln, ext: tuple[int, int], cut: tuple[int, int], forgive: tuple[float, float, float]
) -> None:
    income = summarise(incomes(START, older="150000.00", recent="90000.00"), START, drop_threshold_pct=Decimal("30"))

    def part(amount: Decimal, share: float) -> Decimal:
        return (amount * Decimal(share)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")

    less = PlanParams(
        extra_months=ext[0],
        new_rate_pct=ln.annual_rate_pct - Decimal(cut[0]) / 10,
        forgive=Forgiveness(
            penalties=part(ln.penalties, forgive[0] / 2),
            overdue_interest=part(ln.overdue_interest, forgive[1] / 2),
            overdue_principal=part(ln.overdue_principal, forgive[2] / 2),
        ),
    )
    more = PlanParams(
        extra_months=min(ext[0] + ext[1], RS.max_term_months - ln.remaining_term_months),
        new_rate_pct=less.new_rate_pct - Decimal(cut[1]) / 10,  # type: ignore[operator]
        forgive=Forgiveness(
            penalties=part(ln.penalties, forgive[0]),
            overdue_interest=part(ln.overdue_interest, forgive[1]),
            overdue_principal=part(ln.overdue_principal, forgive[2]),
        ),
    )

    def dti(params: PlanParams) -> Decimal:
        plan = build_plan(
            ln, params, start_on=START, max_term_months=RS.max_term_months, discount_rate_pct=Decimal("16.5")
        )
        checked = check_plan(
            plan,
            loan=ln,
            ruleset=RS,
            incomes=income,
            other_monthly_debt_payments=Decimal("0.00"),
            start_on=START,
            consent=True,
            mandatory_applies=False,
        )
        assert checked.metrics.dti_recent is not None
        return checked.metrics.dti_recent

    assert dti(more) <= dti(less)


@settings(max_examples=30, deadline=None)
@given(ln=loans(), recent=st.integers(5_000, 200_000))
def test_the_recommendation_never_burdens_more_than_the_baseline(ln, recent: int) -> None:  # type: ignore[no-untyped-def]
    a = assess(ln, BorrowerFlags(), incomes(START, older="150000.00", recent=f"{recent}.00"), START)
    rec = recommend(ln, a, start_on=START)
    base = build_plan(
        ln, PlanParams(), start_on=START, max_term_months=RS.max_term_months, discount_rate_pct=Decimal("16.5")
    )
    assert rec.plan.metrics.max_regular_payment <= base.metrics.max_regular_payment
    if rec.target_met:
        assert rec.plan.metrics.dti_recent is not None and rec.plan.metrics.dti_recent <= RS.dti_target


@settings(max_examples=200, deadline=None)
@given(
    avg12=st.integers(50_000, 1_000_000),
    drops=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
    vulnerable=st.lists(st.sampled_from(VULNERABLE_CATEGORIES), max_size=2),
    tsa=st.booleans(),
    emergency=st.booleans(),
    requested=st.sampled_from(
        [None, PlanParams(deferral_months=3), PlanParams(payment_cut_pct=Decimal("50")), PlanParams(extra_months=6)]
    ),
)
def test_mandatory_outcome_is_monotonic_in_the_income_drop(  # type: ignore[no-untyped-def]
    avg12: int, drops: tuple[int, int], vulnerable: list[str], tsa: bool, emergency: bool, requested
) -> None:
    borrower = BorrowerFlags(
        vulnerable_categories=tuple(vulnerable), targeted_social_assistance=tsa, emergency_affected=emergency
    )

    def applies(drop_bp: int) -> bool:
        # Every month avg12 except the last two, which fall by drop_bp basis points.
        recent = (Decimal(avg12) * (10_000 - drop_bp) / 10_000).quantize(Decimal("0.01"))
        data = incomes(START, older=f"{avg12}.00", recent=str(recent))
        return assess(loan(), borrower, data, START, requested).mandatory.applies

    small, large = sorted(drops)
    assert not applies(small) or applies(large)
