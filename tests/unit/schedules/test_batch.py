"""The batch engine equals the scalar engine (``build_plan``) to the tiyn, line by line and in every figure."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy_financial as npf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedules.batch import (
    SUMMARY_FIELDS,
    BlockResult,
    iter_blocks,
    run_batch,
    to_arrays,
    violation_ids,
)
from schedules.batch_pmt import level_payment
from schedules.money import from_tiyn
from schedules.plan import build_plan
from schedules.result import PlanResult
from schedules.terms import Forgiveness, LoanSnapshot, PlanParams

MAX_TERM = 120
EPOCH = date(1970, 1, 1)


def _loan(
    outstanding: int = 100_000_000,
    rate: str = "36",
    remaining: int = 12,
    *,
    method: str = "annuity",
    day_count: str = "30E/360",
    payment_day: int = 15,
    overdue_principal: int = 0,
    overdue_interest: int = 0,
    penalties: int = 0,
    scheduled: int = 10_046_209,
    principal: int | None = None,
    term: int | None = None,
    collateral: int | None = None,
) -> LoanSnapshot:
    t = from_tiyn
    return LoanSnapshot(
        principal=t(principal if principal is not None else outstanding),
        annual_rate_pct=Decimal(rate),
        term_months=term if term is not None else remaining,
        method=method,  # type: ignore[arg-type]
        day_count=day_count,  # type: ignore[arg-type]
        payment_day=payment_day,
        issued_on=date(2023, 1, 10),
        as_of=date(2024, 5, 15),
        outstanding_principal=t(outstanding),
        overdue_principal=t(overdue_principal),
        overdue_interest=t(overdue_interest),
        penalties=t(penalties),
        remaining_term_months=remaining,
        scheduled_payment=t(scheduled),
        next_payment_on=date(2024, 6, 15),
        collateral_value=None if collateral is None else t(collateral),
    )


def _batch(loans: list[LoanSnapshot], plans: list[PlanParams], starts: list[date]) -> list[BlockResult]:
    la, pa = to_arrays(loans, plans, starts)
    blocks = iter_blocks(la, pa, max_term_months=MAX_TERM, block_size=7, with_schedule=True)
    # the summary buffers are reused from block to block: keep copies
    return [
        replace(b, **{f.name: getattr(b, f.name).copy() for f in fields(b) if f.name in SUMMARY_FIELDS}) for b in blocks
    ]


def _row(blocks: list[BlockResult], i: int) -> tuple[BlockResult, int]:
    for b in blocks:
        if b.start <= i < b.stop:
            return b, i - b.start
    raise IndexError(i)


def assert_same(res: PlanResult, b: BlockResult, r: int) -> None:
    """Every line and every figure of one loan's batch result equals the scalar result."""
    t = from_tiyn
    ids = tuple(sorted({v.rule for v in res.violations}))
    assert ids == tuple(sorted(violation_ids(int(b.violations[r])))), (res.violations, b.violations[r])
    assert res.feasible == bool(b.feasible[r])
    n = int(b.instalments[r])
    assert len(res.schedule) == n
    assert b.schedule_due_on is not None and b.schedule_payment is not None
    assert b.schedule_principal is not None and b.schedule_interest is not None
    assert b.schedule_arrears is not None and b.schedule_balance is not None
    for k, line in enumerate(res.schedule):
        got = (
            EPOCH + timedelta(days=int(b.schedule_due_on[r, k])),
            t(int(b.schedule_payment[r, k])),
            t(int(b.schedule_principal[r, k])),
            t(int(b.schedule_interest[r, k])),
            t(int(b.schedule_arrears[r, k])),
            t(int(b.schedule_balance[r, k])),
        )
        want = (line.due_on, line.payment, line.principal, line.interest, line.arrears, line.balance)
        assert got == want, (k, got, want)
    m, tot = res.metrics, res.totals
    assert t(int(b.first_payment[r])) == m.first_payment
    assert t(int(b.max_regular_payment[r])) == m.max_regular_payment
    assert n == m.instalments
    mat = int(b.maturity_on[r])
    assert (None if mat < 0 else EPOCH + timedelta(days=mat)) == m.maturity_on
    assert t(int(b.total_payment[r])) == tot.payment
    assert t(int(b.total_principal[r])) == tot.principal
    assert t(int(b.total_interest[r])) == tot.interest
    assert t(int(b.total_arrears[r])) == tot.arrears
    assert t(int(b.forgiven[r])) == tot.forgiven


def _scalar(loan: LoanSnapshot, plan: PlanParams, start: date) -> PlanResult:
    return build_plan(loan, plan, start_on=start, max_term_months=MAX_TERM, discount_rate_pct=Decimal("20"))


def test_plain_annuity_reproduces_the_hand_checked_contract() -> None:
    # 1 000 000.00 at 36 % over 12 months: PMT = 100 462.0855 → 100 462.09 (numpy_financial agrees);
    # a whole 30E period's interest is 1 % of the balance, the last instalment takes the 6-tiyn residue.
    assert round(-npf.pmt(0.03, 12, 1_000_000), 4) == 100462.0855
    loan = _loan()
    blocks = _batch([loan], [PlanParams()], [date(2024, 5, 15)])
    b = blocks[0]
    assert b.schedule_payment is not None and b.schedule_interest is not None
    assert b.schedule_payment[0, 0] == 10_046_209
    assert b.schedule_interest[0, 0] == 3_000_000
    assert b.schedule_payment[0, 11] == 10_046_203
    assert b.total_principal[0] == 100_000_000
    assert_same(_scalar(loan, PlanParams(), date(2024, 5, 15)), b, 0)


def test_level_payment_equals_numpy_financial_rounded_away_from_ties() -> None:
    rng = np.random.default_rng(7)
    base = rng.integers(10_000, 10**10, 5000)
    rate = rng.integers(1, 2 * 10**6, 5000)
    n = rng.integers(1, 361, 5000)
    ours = level_payment(base, rate, n)
    ref = -npf.pmt(rate / 12e6, n, base)
    frac = ref - np.floor(ref)
    clear = np.abs(frac - 0.5) > 1e-3
    assert np.array_equal(ours[clear], np.floor(ref[clear] + 0.5).astype(np.int64))


def test_near_tie_level_payments_are_recomputed_exactly() -> None:
    from schedules.annuity import level_payment as exact

    # Build loans whose true PMT is within 1e-9 tiyn of a half tiyn is hard; instead check a sample
    # where float and exact could disagree: all results must equal the exact scalar function.
    rng = np.random.default_rng(3)
    base = rng.integers(1, 2 * 10**10, 3000)
    rate = rng.integers(0, 2 * 10**6, 3000)
    n = rng.integers(1, 601, 3000)
    ours = level_payment(base, rate, n)
    want = [exact(int(b), int(r), int(k)) for b, r, k in zip(base, rate, n, strict=True)]
    assert ours.tolist() == want


def test_every_feature_matches_scalar_on_hand_picked_cases() -> None:
    loan = _loan(overdue_principal=5_000_000, overdue_interest=2_345_678, penalties=345_601, collateral=50_000_000)
    plans = [
        PlanParams(),
        PlanParams(new_rate_pct=Decimal("24.5")),
        PlanParams(extra_months=12),
        PlanParams(payment_cut_pct=Decimal("50")),
        PlanParams(payment_cut_pct=Decimal("50"), extra_months=3),
        PlanParams(deferral_months=3, deferral_of="principal"),
        PlanParams(deferral_months=3, deferral_of="principal_and_interest"),
        PlanParams(method="differentiated"),
        PlanParams(method="principal_first"),
        PlanParams(payment_day=31),
        PlanParams(forgive=Forgiveness(penalties="all", overdue_interest=Decimal("1000.00"))),
        PlanParams(settlement_value=Decimal("30000.00")),
        PlanParams(settlement_value=Decimal("30000.00"), forgive_shortfall=True),
        PlanParams(settlement_value=Decimal("900000.00")),
        PlanParams(new_rate_pct=Decimal("40")),
        PlanParams(payment_cut_pct=Decimal("99")),
        PlanParams(forgive=Forgiveness(penalties=Decimal("99999999"))),
        PlanParams(extra_months=200),
    ]
    loans = [loan] * len(plans)
    starts = [date(2024, 1, 31)] * len(plans)
    blocks = _batch(loans, plans, starts)
    for i, p in enumerate(plans):
        b, r = _row(blocks, i)
        assert_same(_scalar(loan, p, starts[i]), b, r)


def test_early_pay_off_ends_the_schedule_only_without_arrears() -> None:
    # 1 000 000.00 at 36 % over 12 months with the contract's level kept at 600 000.00: the principal is
    # paid off on line 2 (600 000 − 30 000 interest, then the 430 000 + 12 900 rest). Without arrears the
    # schedule ends there; with 12 000.00 of overdue interest all 12 lines stay, each with a 1 000.00 share.
    plain = _loan(scheduled=60_000_000)
    bucket = _loan(scheduled=60_000_000, overdue_interest=1_200_000)
    start = date(2024, 5, 15)
    blocks = _batch([plain, bucket], [PlanParams(), PlanParams()], [start, start])
    b = blocks[0]
    assert b.schedule_arrears is not None and b.schedule_principal is not None
    assert b.instalments.tolist() == [2, 12]
    assert b.schedule_arrears[1].tolist() == [100_000] * 12
    assert b.schedule_principal[1, 2:].tolist() == [0] * 10
    for i, loan in enumerate((plain, bucket)):
        assert_same(_scalar(loan, PlanParams(), start), b, i)


def test_summaries_of_run_batch_equal_the_streamed_blocks() -> None:
    loans = [_loan(outstanding=1_000_000 * k, remaining=6 + k) for k in range(1, 20)]
    la, pa = to_arrays(loans, PlanParams(extra_months=6), date(2024, 2, 29))
    s = run_batch(la, pa, max_term_months=MAX_TERM, block_size=4)
    for i, loan in enumerate(loans):
        res = _scalar(loan, PlanParams(extra_months=6), date(2024, 2, 29))
        assert from_tiyn(int(s.total_interest[i])) == res.totals.interest
        assert int(s.instalments[i]) == res.metrics.instalments


money = st.integers(0, 3_000_000_000)
loans_st = st.builds(
    _loan,
    outstanding=st.one_of(st.integers(0, 100), money),
    rate=st.sampled_from(["0", "9.4822", "24", "36", "45.5", "56", "199.9999"]),
    remaining=st.integers(0, 60),
    method=st.sampled_from(["annuity", "differentiated", "principal_first"]),
    day_count=st.sampled_from(["30E/360", "actual/365"]),
    payment_day=st.integers(1, 31),
    overdue_principal=st.one_of(st.just(0), st.integers(0, 50_000_000)),
    overdue_interest=st.one_of(st.just(0), st.integers(0, 20_000_000)),
    penalties=st.one_of(st.just(0), st.integers(0, 5_000_000)),
    scheduled=st.integers(0, 200_000_000),
    principal=st.one_of(st.none(), money),
    term=st.one_of(st.none(), st.integers(0, 120)),
    collateral=st.one_of(st.none(), money),
)
amount_or_all = st.one_of(st.none(), st.just("all"), st.integers(0, 30_000_000).map(from_tiyn))
plans_st = st.builds(
    PlanParams,
    new_rate_pct=st.one_of(st.none(), st.sampled_from([Decimal("0"), Decimal("12.5"), Decimal("30"), Decimal("60")])),
    extra_months=st.one_of(st.none(), st.integers(0, 36)),
    payment_cut_pct=st.one_of(st.none(), st.sampled_from([Decimal("10"), Decimal("33.3333"), Decimal("50")])),
    deferral_months=st.one_of(st.none(), st.integers(0, 6)),
    deferral_of=st.one_of(st.none(), st.sampled_from(["principal", "principal_and_interest"])),
    method=st.one_of(st.none(), st.sampled_from(["annuity", "differentiated", "principal_first"])),
    payment_day=st.one_of(st.none(), st.integers(1, 31)),
    forgive=st.one_of(
        st.none(),
        st.builds(
            Forgiveness, overdue_principal=amount_or_all, overdue_interest=amount_or_all, penalties=amount_or_all
        ),
    ),
    settlement_value=st.one_of(st.none(), st.integers(0, 80_000_000).map(from_tiyn)),
    forgive_shortfall=st.booleans(),
)
starts_st = st.dates(date(2023, 1, 1), date(2026, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(loans_st, plans_st, starts_st), min_size=1, max_size=12))
def test_scalar_equals_batch_for_random_loans_and_plans(cases: list[tuple[LoanSnapshot, PlanParams, date]]) -> None:
    loans = [c[0] for c in cases]
    plans = [c[1] for c in cases]
    starts = [c[2] for c in cases]
    blocks = _batch(loans, plans, starts)
    for i, (loan, plan, start) in enumerate(cases):
        b, r = _row(blocks, i)
        assert_same(_scalar(loan, plan, start), b, r)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(loans_st, plans_st, starts_st), min_size=1, max_size=8))
def test_balance_ends_at_zero_and_parts_sum_to_base_and_bucket(
    cases: list[tuple[LoanSnapshot, PlanParams, date]],
) -> None:
    blocks = _batch([c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases])
    for b in blocks:
        assert b.schedule_balance is not None and b.schedule_principal is not None
        assert b.schedule_arrears is not None and b.schedule_payment is not None
        assert b.schedule_interest is not None
        for r in range(b.stop - b.start):
            n = int(b.instalments[r])
            if n == 0:
                continue
            assert b.schedule_balance[r, n - 1] == 0
            assert b.schedule_principal[r, :n].sum() == b.total_principal[r]
            assert b.schedule_arrears[r, :n].sum() == b.total_arrears[r]
            pay = b.schedule_principal[r, :n] + b.schedule_interest[r, :n] + b.schedule_arrears[r, :n]
            assert np.array_equal(pay, b.schedule_payment[r, :n])


def test_two_worker_threads_give_the_same_summaries_as_one() -> None:
    rng = np.random.default_rng(5)
    loans = [
        _loan(
            outstanding=int(rng.integers(1, 10**9)),
            remaining=int(rng.integers(1, 60)),
            payment_day=int(rng.integers(1, 32)),
            overdue_interest=int(rng.integers(0, 10**6)),
        )
        for _ in range(300)
    ]
    la, pa = to_arrays(loans, PlanParams(deferral_months=2, payment_cut_pct=Decimal("20")), date(2024, 3, 31))
    one = run_batch(la, pa, max_term_months=MAX_TERM, block_size=16, workers=1)
    two = run_batch(la, pa, max_term_months=MAX_TERM, block_size=16, workers=2)
    for name in SUMMARY_FIELDS:
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
