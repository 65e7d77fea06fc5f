"""Plain annuities against numpy-financial (float reference), with the engine's half-up rule."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy_financial as npf
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from schedules.annuity import level_payment, shortest_term
from schedules.terms import PlanParams
from tests.unit.schedules.loans import loan, plan

CENT = Decimal("0.01")


def _half_up(x: float) -> Decimal:
    return Decimal(repr(float(x))).quantize(CENT, rounding=ROUND_HALF_UP)


def _far_from_tie(x: float) -> bool:
    # numpy-financial's float formula loses up to ~1e-10 relative (e.g. 6 660 000.555 exactly comes out as
    # 6 660 000.55407): only compare where that cannot flip the half-up.
    cents = abs(float(x) * 100)
    return abs(cents % 1 - 0.5) > 1e-6 + cents * 1e-9


@settings(max_examples=300, deadline=None)
@given(
    base=st.integers(100_00, 100_000_000_00),
    rate_ppm=st.integers(1, 1_000_000),
    n=st.integers(1, 360),
)
def test_level_payment_is_the_half_up_of_numpy_financial_pmt(base: int, rate_ppm: int, n: int) -> None:
    reference = -npf.pmt(rate_ppm / 12e6, n, base / 100)
    assume(_far_from_tie(reference))
    assert Decimal(level_payment(base, rate_ppm, n)).scaleb(-2) == _half_up(reference)


def test_level_payment_is_exact_where_the_float_formula_is_not() -> None:
    # 6 660 000.00 for one month at 0.0001 %: 6 660 000 · (1 + 0.000001/12) = 6 660 000.555 exactly → .56;
    # npf.pmt gives 6 660 000.55407 (→ .55).
    assert level_payment(666_000_000, 1, 1) == 666_000_056


def test_level_payment_known_values() -> None:
    # 100 000.00 at 12 % over 12 months: npf.pmt(0.01, 12, -100000) = 8884.8788… → 8 884.88.
    assert level_payment(100_000_00, 120_000, 12) == 8_884_88
    assert level_payment(1_000_00, 0, 3) == 333_33


def _annuity_snapshot(base: int, pct: int, n: int):  # type: ignore[no-untyped-def]
    payment = Decimal(level_payment(base, pct * 10_000, n)).scaleb(-2)
    amount = Decimal(base).scaleb(-2)
    return loan(
        principal=amount,
        outstanding_principal=amount,
        annual_rate_pct=Decimal(pct),
        term_months=n,
        remaining_term_months=n,
        scheduled_payment=payment,
    )


@settings(max_examples=60, deadline=None)
@given(base=st.integers(1_000_00, 5_000_000_00), pct=st.sampled_from([1, 10, 24, 36, 46]), n=st.integers(2, 60))
def test_each_line_is_numpy_financial_ipmt_on_the_rounded_balance(base: int, pct: int, n: int) -> None:
    """Line k's interest is half-up(ipmt) of the balance left after line k−1; its principal is the level payment
    (half-up of npf.pmt) minus that interest; the last line pays the rest."""
    r = pct / 1200
    result = plan(_annuity_snapshot(base, pct, n))
    level = _half_up(-float(npf.pmt(r, n, base / 100)))
    balance = base / 100
    for k, line in enumerate(result.schedule, start=1):
        left = n - k + 1
        ipmt = -float(npf.ipmt(r, 1, left, balance))
        if _far_from_tie(ipmt):
            assert line.interest == _half_up(ipmt)
        if k < n:
            assert line.principal == level - line.interest
        balance = float(line.balance)
    assert result.schedule[-1].balance == 0


@settings(max_examples=60, deadline=None)
@given(base=st.integers(1_000_00, 5_000_000_00), pct=st.sampled_from([1, 10, 24, 36, 46]), n=st.integers(2, 60))
def test_whole_schedule_tracks_the_unrounded_numpy_financial_schedule(base: int, pct: int, n: int) -> None:
    """Rounding the level payment and each interest moves line k by at most ~k/10 of a tiyn from the float
    schedule (npf.ipmt/ppmt with per = 1..n)."""
    r = pct / 1200
    result = plan(_annuity_snapshot(base, pct, n))
    per = np.arange(1, n + 1)
    ipmt = -npf.ipmt(r, per, n, base / 100)
    ppmt = -npf.ppmt(r, per, n, base / 100)
    for k, line in enumerate(result.schedule, start=1):
        tolerance = 0.01 + 0.002 * k
        assert abs(float(line.interest) - ipmt[k - 1]) <= tolerance
        if k < n:
            assert abs(float(line.principal) - ppmt[k - 1]) <= tolerance


def test_plain_annuity_with_payment_day_31_matches_numpy_financial_interest() -> None:
    # 30E keeps every month at r/12, so a day-31 loan through February has npf's first-period interest.
    result = plan(loan(payment_day=31), start_on=date(2024, 1, 31))
    assert result.schedule[0].interest == _half_up(-float(npf.ipmt(0.01, 1, 2, 1200)))


@settings(max_examples=200, deadline=None)
@given(
    base=st.integers(0, 50_000_000_00),
    arrears=st.integers(0, 5_000_000_00),
    rate_ppm=st.integers(0, 600_000),
    target=st.integers(1, 5_000_000_00),
    n_min=st.integers(1, 24),
    n_max=st.integers(1, 360),
)
def test_shortest_term_is_the_smallest_n_meeting_the_target(
    base: int, arrears: int, rate_ppm: int, target: int, n_min: int, n_max: int
) -> None:
    def f(n: int) -> int:
        return level_payment(base, rate_ppm, n) + arrears // n

    found = shortest_term(base, arrears, rate_ppm, target, n_min, n_max)
    if found is None:
        assert n_max < n_min or f(n_max) > target
    else:
        assert n_min <= found <= n_max and f(found) <= target
        assert found == n_min or f(found - 1) > target


def test_payment_cut_plan_uses_that_n() -> None:
    result = plan(params=PlanParams(payment_cut_pct=Decimal("50")))
    assert result.metrics.instalments == 5
