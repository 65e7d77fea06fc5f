"""SPEC §8 hard cases, rules side: each rule at its boundary, with figures a person can check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.gesv_cap import gesv_cap
from rules.ids import R_COLLECTION_AGENCY, R_GESV_CAP, R_MANDATORY, R_MILITARY_SERVICE, R_NO_WORSE
from rules.mandatory import granted_request, mandatory
from rules.military import conscript_plan
from rules.no_worse import no_worse
from rules.penalty import penalty_excess
from rules.plan_check import check_plan
from rules.ruleset import all_rulesets, ruleset_by_id, ruleset_for
from rules.short_loan import gesv_cap_in_force, is_short, short_loan_rate
from rules.vulnerable import VULNERABLE_CATEGORIES, categories_in_force
from schedules.plan import build_plan
from schedules.terms import PlanParams
from tests.wording import explain

from .factories import incomes, loan

D = Decimal
RS = ruleset_by_id("KZ-2025-09")
OLD = ruleset_by_id("KZ-2024-04")


def test_gesv_cap_fails_only_above_both_the_cap_and_the_baseline() -> None:
    assert gesv_cap(D("46.1"), RS, baseline_gesv_pct=D("46.0")).passed is False
    assert gesv_cap(D("46.1"), RS, baseline_gesv_pct=D("46.1")).passed is True  # keeps the cost: allowed
    assert gesv_cap(D("46.0"), RS, baseline_gesv_pct=D("20.0")).passed is True  # within the cap
    legacy = gesv_cap(D("55.0"), RS, baseline_gesv_pct=D("56.0"))  # a 56% contract restructured under the 46% cap
    assert legacy.passed is True and legacy.text_key == "R-GESV-CAP.within_baseline"
    assert "56.0" in explain(legacy, "en")


def test_a_legacy_56_percent_contract_gets_the_mandatory_deferral() -> None:
    # A contract at 44% nominal (GESV about 54%, signed under the 56% cap) asks for a 3-month deferral in 2025-10.
    legacy = loan(annual_rate_pct=D("44.00"), scheduled_payment=D("39000.00"))
    start = date(2025, 10, 1)
    plan = build_plan(
        legacy,
        PlanParams(deferral_months=3, deferral_of="principal"),
        start_on=start,
        max_term_months=RS.max_term_months,
        discount_rate_pct=D("16.5"),
    )
    assert plan.metrics.gesv_pct is not None and plan.metrics.gesv_pct > RS.gesv_cap_pct
    checked = check_plan(
        plan,
        loan=legacy,
        ruleset=RS,
        incomes=assess(legacy, BorrowerFlags(), incomes(start), start).income,
        other_monthly_debt_payments=D("0.00"),
        start_on=start,
        consent=True,
        mandatory_applies=True,
    )
    assert R_GESV_CAP not in [v.rule for v in checked.violations]
    assert checked.feasible


def test_short_loans_have_a_daily_rate_cap_and_the_179_percent_gesv_cap() -> None:
    # 100 000 KZT issued 2026-01-05 for one month (31 days ≤ 45) and ≤ 45 × 4 325 = 194 625 KZT: a short loan.
    short = loan(
        principal=D("100000.00"),
        outstanding_principal=D("100000.00"),
        overdue_principal=D("0.00"),
        issued_on=date(2026, 1, 5),
        as_of=date(2026, 1, 10),
        term_months=1,
        remaining_term_months=1,
        payment_day=5,
        next_payment_on=date(2026, 2, 5),
        overdue_since=None,
        annual_rate_pct=D("109.5"),
    )
    assert is_short(short, RS) and gesv_cap_in_force(short, RS) == D("179")
    ok = short_loan_rate(short, D("109.5"), RS)  # 0.3% × 365 = 109.5% a year: exactly the cap
    assert ok is not None and ok.passed is True
    over = short_loan_rate(short, D("109.5001"), RS)
    assert over is not None and over.passed is False
    big = loan(principal=D("194626.00"), issued_on=date(2026, 1, 5), term_months=1, remaining_term_months=1)
    assert not is_short(big, RS)
    assert not is_short(short, OLD) and gesv_cap_in_force(short, OLD) == D("56")


def test_vulnerable_groups_and_their_dates_live_in_the_rule_sets() -> None:
    assert all(len(rs.vulnerable_groups) == 14 for rs in all_rulesets())
    assert VULNERABLE_CATEGORIES[0] == "wwii_veteran" and VULNERABLE_CATEGORIES[-1] == "widow_with_dependent_children"
    widow = next(g for g in RS.vulnerable_groups if g.code == "widow_with_dependent_children")
    assert widow.since == date(2024, 11, 22) and widow.confirmed is False and "UNCONFIRMED" in widow.source
    assert categories_in_force(["widow_with_dependent_children"], OLD, date(2024, 11, 21)) == ()
    assert categories_in_force(["widow_with_dependent_children"], OLD, date(2024, 11, 22)) == (
        "widow_with_dependent_children",
    )


def test_a_category_not_yet_in_the_law_on_received_on_does_not_make_approval_mandatory() -> None:
    widow = BorrowerFlags(vulnerable_categories=("widow_with_dependent_children",), targeted_social_assistance=True)
    asked = PlanParams(deferral_months=3, deferral_of="principal")
    assert mandatory(asked, widow, False, OLD, date(2024, 11, 21)).applies is False
    assert mandatory(asked, widow, False, OLD, date(2024, 11, 22)).applies is True


def test_a_short_deferral_under_mandatory_approval_is_granted_for_the_minimum() -> None:
    granted, note = granted_request(PlanParams(deferral_months=1, deferral_of="principal_and_interest"), RS)
    assert granted.deferral_months == 3 and granted.deferral_of == "principal_and_interest"
    assert note is not None and note.rule == R_MANDATORY and note.text_key == "R-MANDATORY.granted_minimum"
    assert "3" in explain(note, "ru") and "1" in explain(note, "kk")
    same, none = granted_request(PlanParams(deferral_months=3, deferral_of="principal"), RS)
    assert same.deferral_months == 3 and none is None
    assert RS.mandatory_min_months == 3


def test_the_assessment_grants_the_minimum_and_says_why() -> None:
    start = date(2025, 10, 1)
    flags = BorrowerFlags(emergency_affected=True)
    a = assess(loan(), flags, incomes(start), start, PlanParams(deferral_months=2, deferral_of="principal"))
    assert a.mandatory.applies and a.granted is not None and a.granted.deferral_months == 3
    assert "R-MANDATORY.granted_minimum" in [r.text_key for r in a.rules]


def test_penalties_above_the_lawful_cap_are_the_excess() -> None:
    # overdue 40 000 + 30 000 = 70 000 since 2025-08-10, as of 2025-10-01: 52 days × 0.5% × 70 000 = 18 200 cap;
    # 10% × 1 000 000 × 2 contract years = 200 000: the daily cap binds.
    assert penalty_excess(loan(penalties=D("18200.00")), RS) == D("0.00")
    assert penalty_excess(loan(penalties=D("20000.00")), RS) == D("1800.00")
    assert penalty_excess(loan(penalties=D("20000.00"), overdue_since=None), RS) == D("0.00")


def test_a_conscript_is_deferred_to_the_service_end_plus_60_days_without_interest() -> None:
    # start 2026-11-25, due on the 10th: service until 2027-11-10 + 60 days = 2028-01-09 → the deferral covers every
    # due date up to 2028-01-10 (14 of them, 2026-12-10 … 2028-01-10); payments resume on 2028-02-10.
    p = conscript_plan(date(2026, 11, 25), 10, date(2027, 11, 10), RS)
    assert p.deferral_months == 14 and p.deferral_of == "interest_free"
    assert conscript_plan(date(2026, 11, 25), 10, date(2027, 11, 11), RS).deferral_months == 14  # ends on 01-10
    assert conscript_plan(date(2026, 11, 25), 10, date(2027, 11, 12), RS).deferral_months == 15  # ends on 01-11


def test_a_conscript_application_is_mandatory_and_only_the_deferral_is_lawful() -> None:
    start = date(2025, 10, 1)
    a = assess(loan(), BorrowerFlags(), incomes(start), start, None, military_service_until=date(2026, 6, 30))
    assert a.mandatory.applies and "military_service" in a.mandatory.grounds
    assert R_MILITARY_SERVICE in [r.rule for r in a.rules]
    lawful = a.granted
    assert lawful is not None and lawful.deferral_of == "interest_free"
    for params, ok in ((lawful, True), (PlanParams(extra_months=6), False)):
        built = build_plan(loan(), params, start_on=start, max_term_months=84, discount_rate_pct=D("16.5"))
        checked = check_plan(
            built,
            loan=loan(),
            ruleset=RS,
            incomes=a.income,
            other_monthly_debt_payments=D(0),
            start_on=start,
            consent=True,
            mandatory_applies=True,
            military_service_until=date(2026, 6, 30),
        )
        assert (R_MILITARY_SERVICE not in [v.rule for v in checked.violations]) is ok


def test_the_assessment_says_what_the_collection_agency_period_leaves_out() -> None:
    start = date(2025, 10, 1)
    with_agency = loan(with_collection_agency_since=date(2025, 9, 1))
    a = assess(with_agency, BorrowerFlags(), incomes(start), start)
    outcome = next(r for r in a.rules if r.rule == R_COLLECTION_AGENCY)
    # 840 000 × 36% × 30/360 = 25 200.00 of interest (of the 30 000 overdue); overdue since 08-10 (52 days), 30 of
    # them with the agency: ceil(5 000 × 30 / 52) = 2 884.62 of penalties
    assert outcome.figures["interest_excluded"] == D("25200.00")
    assert outcome.figures["penalties_excluded"] == D("2884.62")
    assert "2884.62" in explain(outcome, "en")


def test_no_worse_says_the_maturity_moved_by_a_month() -> None:
    # start_on on the next due date (2025-10-10): 40 instalments from 2025-11-10, the last a month after the contract's
    start = date(2025, 10, 10)
    built = build_plan(loan(), PlanParams(), start_on=start, max_term_months=84, discount_rate_pct=D("16.5"))
    outcome = no_worse(loan(), PlanParams(), consent=False, plan_maturity=built.metrics.maturity_on)
    assert outcome.rule == R_NO_WORSE and outcome.passed is False
    assert outcome.text_key == "R-NO-WORSE.failed_maturity_moved" and outcome.figures["maturity_moved_months"] == 1
    assert "1 month" in explain(outcome, "en")


def test_the_current_set_has_the_short_loan_block_with_its_sources() -> None:
    caps = ruleset_for(date(2026, 1, 1)).short_loan
    assert caps is not None and caps.daily_rate_cap_pct == D("0.3") and caps.gesv_cap_pct == D("179")
    assert caps.max_days == 45 and caps.max_mrp == 45 and "Res. No. 62" in caps.source
