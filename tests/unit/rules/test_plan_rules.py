import dataclasses
from datetime import date
from decimal import Decimal

from rules.acceleration import early_repayment_demand_allowed, no_acceleration
from rules.arrears import no_interest_on_arrears
from rules.ids import R_CUT_50, R_GESV_CAP, R_MANDATORY, R_NO_WORSE
from rules.income import summarise
from rules.no_worse import no_worse
from rules.penalty import penalty
from rules.plan_check import check_plan
from rules.ruleset import ruleset_by_id, ruleset_for
from schedules.plan import build_plan
from schedules.result import ScheduleLine
from schedules.terms import PlanParams

from .factories import incomes, loan

START = date(2025, 10, 1)
RS = ruleset_for(START)
LOAN = loan()
INCOME = summarise(incomes(START), START, drop_threshold_pct=Decimal("30"))


# 400 000 at 12% over 20 months, no arrears: PMT = 22 166.30; a 50% cut (≤ 11 083.15) is reachable in 84 months.
SHORT = loan(
    annual_rate_pct=Decimal("12.00"),
    outstanding_principal=Decimal("400000.00"),
    overdue_principal=Decimal("0.00"),
    overdue_interest=Decimal("0.00"),
    penalties=Decimal("0.00"),
    remaining_term_months=20,
    scheduled_payment=Decimal("22166.30"),
    overdue_since=None,
)


def _build(params: PlanParams, ln=LOAN):  # type: ignore[no-untyped-def]
    return build_plan(ln, params, start_on=START, max_term_months=RS.max_term_months, discount_rate_pct=Decimal("16.5"))


def _check(
    params: PlanParams, *, consent: bool = True, mandatory: bool = False, fees: str = "0.00", ruleset=RS, ln=LOAN
):  # type: ignore[no-untyped-def]
    return check_plan(
        _build(params, ln),
        loan=ln,
        ruleset=ruleset,
        incomes=INCOME,
        other_monthly_debt_payments=Decimal("10000.00"),
        start_on=START,
        consent=consent,
        mandatory_applies=mandatory,
        fees=Decimal(fees),
    )


def _rules(plan) -> list[str]:  # type: ignore[no-untyped-def]
    return [v.rule for v in plan.violations]


def test_a_lawful_plan_stays_feasible_and_gets_kdn_and_dti() -> None:
    p = _check(PlanParams(extra_months=12, new_rate_pct=Decimal("30")))
    assert p.feasible and not p.violations
    # avg6 = avg2 = 100 000; dti = (max regular instalment + 10 000) / 100 000.
    expected = ((p.metrics.max_regular_payment + 10000) / 100000).quantize(Decimal("0.0001"))
    assert p.metrics.kdn == p.metrics.dti_recent == expected


def test_a_higher_rate_is_a_violation() -> None:
    p = _check(PlanParams(new_rate_pct=Decimal("40")))
    assert not p.feasible and R_NO_WORSE in _rules(p)


def test_a_longer_term_without_consent_is_feasible_but_needs_consent() -> None:
    # SPEC §8 "Simulations and consent" (changed from the first release: it was a violation)
    p = _check(PlanParams(extra_months=6), consent=False)
    assert p.feasible and p.needs_consent and _rules(p) == []
    with_consent = _check(PlanParams(extra_months=6), consent=True)
    assert with_consent.feasible and not with_consent.needs_consent


def test_a_higher_rate_is_infeasible_whatever_the_consent() -> None:
    p = _check(PlanParams(new_rate_pct=Decimal("40"), extra_months=6), consent=False)
    assert not p.feasible and R_NO_WORSE in _rules(p) and not p.needs_consent


def test_a_fee_is_a_violation_and_under_mandatory_approval_twice_over() -> None:
    p = _check(PlanParams(deferral_months=3, deferral_of="principal"), fees="1000.00", mandatory=True)
    assert _rules(p) == [R_NO_WORSE, R_MANDATORY]


def test_a_payment_cut_under_50_percent_is_a_violation() -> None:
    p = _check(PlanParams(payment_cut_pct=Decimal("30")), ln=SHORT)
    assert not p.feasible and _rules(p) == [R_CUT_50]
    ok = _check(PlanParams(payment_cut_pct=Decimal("50")), ln=SHORT)
    assert ok.feasible and ok.metrics.max_regular_payment <= Decimal("11083.15")


def test_the_cut_rule_does_not_exist_before_2025_09_01() -> None:
    p = _check(PlanParams(payment_cut_pct=Decimal("30")), ruleset=ruleset_by_id("KZ-2024-04"), ln=SHORT)
    assert R_CUT_50 not in _rules(p)


def test_under_mandatory_approval_a_short_deferral_or_no_relief_is_a_violation() -> None:
    assert R_MANDATORY in _rules(_check(PlanParams(deferral_months=2, deferral_of="principal"), mandatory=True))
    assert R_MANDATORY in _rules(_check(PlanParams(extra_months=12), mandatory=True))
    assert _check(PlanParams(deferral_months=3, deferral_of="principal"), mandatory=True).feasible
    assert _check(PlanParams(payment_cut_pct=Decimal("50")), mandatory=True, ln=SHORT).feasible


def test_gesv_over_a_newer_cap_passes_when_not_above_the_baseline() -> None:
    # SPEC §8 "GESV cap scope" (changed from the first release, where any GESV over the cap was a violation)
    tight = dataclasses.replace(RS, gesv_cap_pct=Decimal("30"))
    p = _check(PlanParams(extra_months=1), ruleset=tight)
    base = _check(PlanParams(), ruleset=tight)
    assert p.metrics.gesv_pct is not None and base.metrics.gesv_pct is not None
    assert p.metrics.gesv_pct > Decimal("30") and p.metrics.gesv_pct <= base.metrics.gesv_pct
    assert R_GESV_CAP not in _rules(p)


def test_arrears_that_earn_interest_or_join_principal_are_violations() -> None:
    plan = _build(PlanParams(extra_months=6))
    assert no_interest_on_arrears(plan, LOAN, start_on=START).passed is True
    # Capitalised: the 30 000 overdue interest repaid as principal.
    capitalised = dataclasses.replace(
        plan, totals=dataclasses.replace(plan.totals, principal=plan.totals.principal + Decimal("30000.00"))
    )
    assert no_interest_on_arrears(capitalised, LOAN, start_on=START).figures["problems"] == ("capitalised",)
    # Interest on arrears: 3% a month on the 35 000 bucket added to the first line's interest.
    first = plan.schedule[0]
    bumped: ScheduleLine = dataclasses.replace(first, interest=first.interest + Decimal("1050.00"))
    earning = dataclasses.replace(
        plan,
        schedule=(bumped, *plan.schedule[1:]),
        totals=dataclasses.replace(plan.totals, interest=plan.totals.interest + Decimal("1050.00")),
    )
    out = no_interest_on_arrears(earning, LOAN, start_on=START)
    assert out.passed is False and out.figures["problems"] == ("interest_on_arrears",)


def test_penalties_within_and_over_the_cap() -> None:
    # 70 000 overdue for 52 days (10 Aug → 1 Oct): 0.5% × 52 × 70 000 = 18 200; yearly cap 10% × 1 000 000 × 2 years.
    out = penalty(LOAN, RS)
    assert out.passed is True and out.figures["cap"] == Decimal("18200.00")
    assert penalty(LOAN, RS, penalties=Decimal("18200.01")).passed is False


def test_penalties_stop_after_90_days_unless_fully_secured_and_after_180_on_mortgages() -> None:
    late = loan(overdue_since=date(2025, 1, 1))  # 273 days overdue
    # Unsecured: 90 days × 0.5% × 70 000 = 31 500.
    assert penalty(late, RS).figures["cap"] == Decimal("31500.00")
    # Fully secured by a pledge: 31 500 + 183 days × 0.03% × 70 000 = 31 500 + 3 843 = 35 343.
    pledged = loan(overdue_since=date(2025, 1, 1), secured_by="pledge", collateral_value=Decimal("1500000.00"))
    assert penalty(pledged, RS).figures["cap"] == Decimal("35343.00")
    # Mortgage: stops after 180 days: 31 500 + 90 × 0.03% × 70 000 = 31 500 + 1 890.
    mortgage = loan(overdue_since=date(2025, 1, 1), secured_by="mortgage", collateral_value=Decimal("2000000.00"))
    assert penalty(mortgage, RS).figures["cap"] == Decimal("33390.00")


def test_yearly_penalty_cap_is_10_percent_of_principal_per_contract_year() -> None:
    small = loan(principal=Decimal("100000.00"), issued_on=date(2025, 5, 1), overdue_since=date(2025, 5, 2))
    # 152 days → daily cap 31 500; the first contract year caps at 10 000.
    assert penalty(small, RS).figures["cap"] == Decimal("10000.00")


def test_no_worse_on_a_request_and_consent() -> None:
    assert no_worse(LOAN, PlanParams(extra_months=3), consent=True).passed is True
    assert no_worse(LOAN, PlanParams(extra_months=3), consent=False).passed is False
    assert no_worse(LOAN, PlanParams(method="differentiated"), consent=False).figures["problems"] == (
        "method_change_without_consent",
    )
    assert no_worse(LOAN, PlanParams(new_rate_pct=Decimal("36.01")), consent=True).passed is False


def test_no_early_repayment_demand_while_under_review() -> None:
    assert early_repayment_demand_allowed(under_review=True) is False
    assert early_repayment_demand_allowed(under_review=False) is True
    assert no_acceleration(True, demand_made=True).passed is False
    assert no_acceleration(True).passed is True
    assert no_acceleration(False, demand_made=True).passed is None
