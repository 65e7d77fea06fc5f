"""SPEC §8 hard cases, engine side: hand-checked figures and the batch engine equal to the scalar one."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

from schedules.batch import SUMMARY_FIELDS, iter_blocks, to_arrays
from schedules.gesv import gesv_pct
from schedules.plan import build_plan, build_plans
from schedules.terms import LoanSnapshot, PlanParams
from tests.unit.schedules.loans import START, loan, plan
from tests.unit.schedules.test_batch import assert_same

D = Decimal


def test_accrued_interest_and_the_interest_to_start_on_join_the_arrears_bucket() -> None:
    # 1 200.00 at 12% (1% a month, 30E/360), due on the 15th. As of 01-20 the core system reports 2.00 accrued since
    # 01-15 (1200 × 12% × 5/360 = 2.00); the plan starts on 01-30: 10 more days = 4.00. Bucket = 6.00.
    snapshot = loan(as_of=date(2024, 1, 20), accrued_interest=D("2.00"))
    r = plan(snapshot, start_on=date(2024, 1, 30))
    assert r.feasible
    assert r.totals.arrears == D("6.00")
    first = r.schedule[0]
    # first period 01-30 → 02-15 = 15 days: 1200 × 1% / 2 = 6.00; 2 + 4 + 6 = 12.00 = a whole month's interest,
    # nothing between the last due date (01-15) and 02-15 lost or counted twice
    assert first.interest == D("6.00") and first.arrears == D("3.00")
    assert first.principal == D("603.01") and first.payment == D("612.01")  # the contract's level 609.01 + 3.00
    assert r.schedule[1].arrears == D("3.00") and r.schedule[-1].balance == D("0.00")


def test_accrued_interest_is_zero_when_the_plan_starts_on_as_of() -> None:
    assert plan(loan()).totals.arrears == D("0.00")


def test_penalty_excess_is_dropped_from_the_bucket_and_shown() -> None:
    snapshot = loan(penalties=D("15.00"), overdue_interest=D("10.00"), overdue_since=date(2024, 1, 1))
    kept = build_plan(snapshot, PlanParams(), start_on=START, max_term_months=60, discount_rate_pct=D(12))
    cut = build_plan(
        snapshot, PlanParams(), start_on=START, max_term_months=60, discount_rate_pct=D(12), penalty_excess=D("5.00")
    )
    assert kept.totals.arrears == D("25.00") and kept.totals.penalty_excess_removed == D("0.00")
    assert cut.totals.arrears == D("20.00") and cut.totals.penalty_excess_removed == D("5.00")
    # forgiving "all" penalties forgives the lawful 10.00 only; the 5.00 were never owed
    forgiven = build_plans(
        snapshot,
        (PlanParams(forgive=replace(PlanParams().forgive or _forgive_all())),),
        start_on=START,
        max_term_months=60,
        discount_rate_pct=D(12),
        penalty_excess=D("5.00"),
    )[0]
    assert forgiven.totals.forgiven == D("10.00") and forgiven.totals.arrears == D("10.00")


def _forgive_all():  # type: ignore[no-untyped-def]
    from schedules.terms import Forgiveness

    return Forgiveness(penalties="all")


def test_collection_agency_period_interest_and_penalties_are_left_out() -> None:
    # As of 03-15, an agency since 03-05 (10 days, 30E). Interest of the period: 1200 × 12% × 10/360 = 4.00 (out of
    # the 12.00 overdue interest). Overdue since 02-15 (29 days to 03-15), 10 of them with the agency: penalties
    # 29.00 × 10/29 = 10.00 left out. Bucket = 8.00 + 19.00 = 27.00.
    snapshot = loan(
        as_of=date(2024, 3, 15),
        overdue_interest=D("12.00"),
        penalties=D("29.00"),
        overdue_since=date(2024, 2, 15),
        with_collection_agency_since=date(2024, 3, 5),
    )
    r = plan(snapshot, start_on=date(2024, 3, 15))
    assert r.totals.arrears == D("27.00")


def test_an_interest_free_deferral_pays_and_accrues_nothing() -> None:
    free = plan(params=PlanParams(deferral_months=2, deferral_of="interest_free"))
    full = plan(params=PlanParams(deferral_months=2, deferral_of="principal_and_interest"))
    assert [line.payment for line in free.schedule[:2]] == [D("0.00"), D("0.00")]
    assert free.totals.arrears == D("0.00")
    assert full.totals.arrears == D("24.00")  # 2 × 12.00 deferred into the bucket
    # then PMT(1200, 2) = 609.01: interest 12.00, principal 597.01; 602.99 × 1% = 6.03 → 18.03, none from the deferral
    assert free.totals.interest == D("18.03") and free.metrics.instalments == 4


def test_a_matured_loan_deferred_is_repaid_over_three_instalments_or_the_extension() -> None:
    matured = loan(remaining_term_months=0, as_of=START, next_payment_on=START)
    r = plan(matured, PlanParams(deferral_months=2, deferral_of="principal"))
    assert r.feasible and r.metrics.instalments == 2 + 3
    longer = plan(matured, PlanParams(deferral_months=2, deferral_of="principal", extra_months=5))
    assert longer.feasible and longer.metrics.instalments == 2 + 5
    # without a deferral or an extension there is nothing to repay over: a named violation, not an exception
    assert [v.rule for v in plan(matured).violations] == ["E-TERM-INVALID"]


DIFF = LoanSnapshot(
    principal=D("12000.00"),
    annual_rate_pct=D("12"),
    term_months=12,
    method="differentiated",
    day_count="30E/360",
    payment_day=15,
    issued_on=START,
    as_of=START,
    outstanding_principal=D("12000.00"),
    overdue_principal=D("0.00"),
    overdue_interest=D("0.00"),
    penalties=D("0.00"),
    remaining_term_months=6,
    scheduled_payment=D("2200.00"),
    next_payment_on=date(2024, 2, 15),
)


def test_differentiated_payment_cut_compares_its_own_first_instalment() -> None:
    # 12 000 at 1% a month, first period a whole month. Target 50% of 2 200.00 = 1 100.00. The annuity PMT over 12
    # is 1 066.19 ≤ 1 100 (the old search stopped there), but the differentiated first instalment over 12 is
    # 1 000 + 120 = 1 120.00 > 1 100; over 13: 923.07 + 120.00 = 1 043.07 ≤ 1 100 → 13 instalments.
    r = plan(DIFF, PlanParams(payment_cut_pct=D("50")))
    assert r.metrics.instalments == 13
    assert r.metrics.max_regular_payment == D("1043.07")
    assert r.metrics.payment_cut_pct >= D("50")


def test_differentiated_payment_cut_at_its_boundary() -> None:
    # scheduled 2 240.00 → target 1 120.00: over 12 the first instalment is exactly 1 120.00, which is enough
    r = plan(replace(DIFF, scheduled_payment=D("2240.00")), PlanParams(payment_cut_pct=D("50")))
    assert r.metrics.instalments == 12 and r.metrics.max_regular_payment == D("1120.00")


def test_gesv_rounding_at_an_exact_tie_is_half_up() -> None:
    # One payment a year later: i = 146 050 / 100 000 − 1 = 46.05% exactly. Float gives 46.04999999999999.
    assert gesv_pct(100_000, [146_050], [365]) == D("46.1")
    assert gesv_pct(100_000, [146_049], [365]) == D("46.0")
    assert gesv_pct(100_000, [146_051], [365]) == D("46.1")


def test_a_plan_whose_exact_gesv_is_46_05_shows_46_1() -> None:
    # 10 000.00 at 46.05% (30E: 383.75 a month), one instalment left; an 11-month full deferral: the 12th due date is
    # 2027-03-15, 365 days after 2026-03-15. Paid: 10 000 + 12 × 383.75 = 14 605.00 once → GESV = 46.05% exactly.
    snapshot = LoanSnapshot(
        principal=D("10000.00"),
        annual_rate_pct=D("46.05"),
        term_months=12,
        method="annuity",
        day_count="30E/360",
        payment_day=15,
        issued_on=date(2025, 4, 15),
        as_of=date(2026, 3, 15),
        outstanding_principal=D("10000.00"),
        overdue_principal=D("0.00"),
        overdue_interest=D("0.00"),
        penalties=D("0.00"),
        remaining_term_months=1,
        scheduled_payment=D("10383.75"),
        next_payment_on=date(2026, 4, 15),
    )
    r = plan(snapshot, PlanParams(deferral_months=11, deferral_of="principal_and_interest"), start_on=snapshot.as_of)
    assert r.schedule[-1].due_on == date(2027, 3, 15) and r.totals.payment == D("14605.00")
    assert r.metrics.gesv_pct == D("46.1")


def test_batch_equals_scalar_on_every_hard_case() -> None:
    base = loan(
        principal=D("120000.00"),
        outstanding_principal=D("100000.00"),
        overdue_principal=D("5000.00"),
        overdue_interest=D("3000.00"),
        penalties=D("2500.00"),
        overdue_since=date(2024, 1, 1),
        term_months=24,
        remaining_term_months=12,
        scheduled_payment=D("9800.00"),
        as_of=date(2024, 1, 20),
        accrued_interest=D("150.00"),
    )
    cases: list[tuple[LoanSnapshot, PlanParams, date, Decimal]] = [
        (base, PlanParams(), date(2024, 2, 3), D("0.00")),
        (base, PlanParams(), date(2024, 2, 3), D("1000.00")),
        (replace(base, with_collection_agency_since=date(2024, 1, 10)), PlanParams(), date(2024, 2, 3), D("0")),
        (replace(base, day_count="actual/365"), PlanParams(payment_cut_pct=D("50"), method="differentiated"),
         date(2024, 1, 25), D("300.00")),
        (replace(base, method="differentiated"), PlanParams(payment_cut_pct=D("50"), deferral_months=2,
                                                            deferral_of="interest_free"), date(2024, 1, 20), D("0")),
        (replace(base, remaining_term_months=0), PlanParams(deferral_months=3, deferral_of="principal"),
         date(2024, 1, 20), D("0")),
        (replace(base, remaining_term_months=0), PlanParams(deferral_months=3, deferral_of="principal_and_interest",
                                                            extra_months=7), date(2024, 1, 20), D("0")),
        (base, PlanParams(forgive=_forgive_all(), settlement_value=D("110000.00")), date(2024, 2, 3), D("500.00")),
        (replace(base, day_count="actual/365", with_collection_agency_since=date(2024, 1, 5)),
         PlanParams(deferral_months=4, deferral_of="interest_free", method="differentiated"), date(2024, 3, 1),
         D("0")),
    ]
    loans = [c[0] for c in cases]
    plans = [c[1] for c in cases]
    starts = [c[2] for c in cases]
    excess = [c[3] for c in cases]
    la, pa = to_arrays(loans, plans, starts, penalty_excess=excess)
    blocks = [
        replace(b, **{f.name: getattr(b, f.name).copy() for f in fields(b) if f.name in SUMMARY_FIELDS})
        for b in iter_blocks(la, pa, max_term_months=120, block_size=4, with_schedule=True)
    ]
    for i, (snapshot, params, start, ex) in enumerate(cases):
        want = build_plan(
            snapshot, params, start_on=start, max_term_months=120, discount_rate_pct=D(12), penalty_excess=ex
        )
        b = next(b for b in blocks if b.start <= i < b.stop)
        assert_same(want, b, i - b.start)
        assert D(int(b.penalty_excess_removed[i - b.start])).scaleb(-2) == want.totals.penalty_excess_removed
