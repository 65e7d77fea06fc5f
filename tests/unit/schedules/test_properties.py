"""Invariants of every plan (hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.money import from_tiyn
from schedules.plan import prepare_loan, start_of
from schedules.result import PlanResult
from schedules.terms import Forgiveness, LoanSnapshot, PlanParams
from tests.unit.schedules.loans import loan, plan


def _money(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo, hi).map(lambda t: Decimal(t).scaleb(-2))


def _loans(min_outstanding_tiyn: int = 1) -> st.SearchStrategy[LoanSnapshot]:
    return st.builds(
        lambda outstanding, op, oi, pen, pct, n, method, dc, day: loan(
            principal=outstanding + op,
            outstanding_principal=outstanding,
            overdue_principal=op,
            overdue_interest=oi,
            penalties=pen,
            annual_rate_pct=pct,
            term_months=n,
            remaining_term_months=n,
            method=method,
            day_count=dc,
            payment_day=day,
            scheduled_payment=Decimal("1000.00"),
        ),
        _money(min_outstanding_tiyn, 20_000_000_00),
        _money(0, 2_000_000_00),
        _money(0, 1_000_000_00),
        _money(0, 500_000_00),
        st.integers(0, 560_000).map(lambda p: Decimal(p).scaleb(-4)),
        st.integers(1, 72),
        st.sampled_from(["annuity", "differentiated", "principal_first"]),
        st.sampled_from(["30E/360", "actual/365"]),
        st.integers(1, 31),
    )


loans = _loans()

params = st.builds(
    PlanParams,
    new_rate_pct=st.none() | st.integers(0, 560_000).map(lambda p: Decimal(p).scaleb(-4)),
    extra_months=st.none() | st.integers(0, 24),
    payment_cut_pct=st.none() | st.integers(1, 90).map(Decimal),
    deferral_months=st.none() | st.integers(0, 6),
    deferral_of=st.none() | st.sampled_from(["principal", "principal_and_interest"]),
    method=st.none() | st.sampled_from(["annuity", "differentiated", "principal_first"]),
    payment_day=st.none() | st.integers(1, 31),
    forgive=st.none()
    | st.builds(
        Forgiveness,
        overdue_principal=st.none() | st.just("all"),
        overdue_interest=st.none() | st.just("all"),
        penalties=st.none() | st.just("all"),
    ),
)
starts = st.integers(0, 800).map(lambda d: date(2023, 1, 1) + timedelta(days=d))


def _run(snapshot: LoanSnapshot, p: PlanParams, start: date, **kw: Any) -> PlanResult:
    return plan(snapshot, p, start_on=start, max_term_months=120, **kw)


def _debt(snapshot: LoanSnapshot, start: date | None = None) -> tuple[Decimal, Decimal]:
    """B and the arrears bucket; with ``start``, the bucket also holds the accrued interest to it (SPEC §8)."""
    base = snapshot.outstanding_principal + snapshot.overdue_principal
    bucket = snapshot.overdue_interest + snapshot.penalties
    if start is not None:
        ln = prepare_loan(snapshot)
        bucket += from_tiyn(start_of(ln, start).accrued)
    return base, bucket


@settings(max_examples=300, deadline=None)
@given(snapshot=loans, p=params, start=starts)
def test_every_schedule_balances_and_ends_at_zero(snapshot: LoanSnapshot, p: PlanParams, start: date) -> None:
    r = _run(snapshot, p, start)
    if not r.schedule:
        return
    assert all(line.balance >= 0 for line in r.schedule)
    assert all(line.payment >= 0 and line.principal >= 0 and line.interest >= 0 for line in r.schedule)
    assert all(line.payment == line.principal + line.interest + line.arrears for line in r.schedule)
    assert r.schedule[-1].balance == 0
    assert [line.n for line in r.schedule] == list(range(1, len(r.schedule) + 1))
    assert all(a.due_on < b.due_on for a, b in zip(r.schedule, r.schedule[1:], strict=False))
    base, _ = _debt(snapshot)
    assert r.totals.principal + r.totals.forgiven >= base  # forgiven principal leaves the base
    assert r.totals.payment == r.totals.principal + r.totals.interest + r.totals.arrears
    assert r.metrics.instalments == len(r.schedule) <= 120 + 24 + 6 + 72


@settings(max_examples=200, deadline=None)
@given(snapshot=loans, start=starts)
def test_baseline_principal_parts_sum_to_the_base_and_shares_to_the_bucket(snapshot: LoanSnapshot, start: date) -> None:
    r = _run(snapshot, PlanParams(), start)
    base, bucket = _debt(snapshot, start)
    assert r.feasible
    assert sum(line.principal for line in r.schedule) == base
    assert sum(line.arrears for line in r.schedule) == bucket
    shares = [line.arrears for line in r.schedule]
    assert len(set(shares[:-1])) <= 1 and shares[-1] >= shares[0]


@settings(max_examples=200, deadline=None)
@given(snapshot=_loans(10_000_00), start=starts, cut=st.integers(1, 9_999), months=st.integers(1, 12))
def test_a_lower_rate_never_raises_the_total_paid(snapshot: LoanSnapshot, start: date, cut: int, months: int) -> None:
    # A lower rate lowers the exact total; the rounded level payment moves it by tiyn. On a few-tenge balance over
    # years at 50 %+ (where the level barely exceeds the interest) a rate change far below a basis point can be
    # outweighed by that rounding, so the property is stated for balances of 10 000 KZT and more.
    rate = snapshot.annual_rate_pct
    lower = (rate * Decimal(10_000 - cut) / 10_000).quantize(Decimal("0.0001"), rounding="ROUND_DOWN")
    hi = _run(snapshot, PlanParams(new_rate_pct=rate, extra_months=months), start)
    lo = _run(snapshot, PlanParams(new_rate_pct=lower, extra_months=months), start)
    assert lo.totals.payment <= hi.totals.payment


@settings(max_examples=200, deadline=None)
@given(snapshot=loans, start=starts, fraction=st.integers(0, 100))
def test_forgiving_arrears_lowers_the_total_paid_by_exactly_the_amount(
    snapshot: LoanSnapshot, start: date, fraction: int
) -> None:
    def part(x: Decimal) -> Decimal:
        return (x * fraction / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")

    some = Forgiveness(overdue_interest=part(snapshot.overdue_interest), penalties=part(snapshot.penalties))
    everything = Forgiveness(overdue_interest="all", penalties="all")
    none = _run(snapshot, PlanParams(), start)
    less = _run(snapshot, PlanParams(forgive=some), start)
    more = _run(snapshot, PlanParams(forgive=everything), start)
    assert more.totals.payment <= less.totals.payment <= none.totals.payment
    assert none.totals.payment - less.totals.payment == less.totals.forgiven
    assert none.totals.payment - more.totals.payment == more.totals.forgiven


@settings(max_examples=200, deadline=None)
@given(snapshot=loans, start=starts, fraction=st.integers(0, 100), op=st.integers(100, 2_000_000_00))
def test_forgiving_overdue_principal_never_raises_the_total_paid(
    snapshot: LoanSnapshot, start: date, fraction: int, op: int
) -> None:
    # Whole tenge at least: forgiving a single tiyn of principal can move the rounded interest by a tiyn.
    overdue = Decimal(op).scaleb(-2)
    snapshot = replace(snapshot, overdue_principal=overdue)
    some = (overdue * fraction / 100).quantize(Decimal("1"), rounding="ROUND_DOWN")
    none = _run(snapshot, PlanParams(extra_months=1), start)
    less = _run(snapshot, PlanParams(extra_months=1, forgive=Forgiveness(overdue_principal=some)), start)
    more = _run(snapshot, PlanParams(extra_months=1, forgive=Forgiveness(overdue_principal="all")), start)
    assert more.totals.payment <= less.totals.payment <= none.totals.payment


@settings(max_examples=100, deadline=None)
@given(snapshot=loans, start=starts, pct=st.integers(1, 90))
def test_a_feasible_payment_cut_reaches_its_target(snapshot: LoanSnapshot, start: date, pct: int) -> None:
    r = _run(snapshot, PlanParams(payment_cut_pct=Decimal(pct), method="annuity"), start)
    if r.feasible and len(r.schedule) > 1 and snapshot.day_count == "30E/360":
        target = (snapshot.scheduled_payment * (100 - pct) / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        # the first instalment may carry a broken period shorter than a month: every other regular one is level
        assert max(line.payment for line in r.schedule[1:-1] or r.schedule[:1]) <= target
    elif not r.feasible:
        assert r.violations[0].rule == "E-PAYMENT-CUT-INFEASIBLE"
