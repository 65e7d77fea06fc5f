"""schedules/batch_start.py equals the scalar start buckets and R-PENALTY excess loan by loan (issue #17)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from rules.penalty import penalty_excess
from rules.ruleset import ruleset_for
from schedules.accrual import start_buckets
from schedules.batch import EPOCH, NO_COLLATERAL
from schedules.batch_calendar import DAY_COUNT_CODES
from schedules.batch_start import NO_DATE, SECURED_CODES, PenaltyTerms, interest
from schedules.batch_start import penalty_excess as penalty_excess_arrays
from schedules.batch_start import start_buckets as start_buckets_arrays
from tests.unit.schedules.loans import loan

RS = ruleset_for(date(2026, 11, 25))


def _terms() -> PenaltyTerms:
    from fractions import Fraction

    c = RS.penalty
    return PenaltyTerms(Fraction(c.daily_pct_until_day), Fraction(c.daily_pct_after), c.tier_days,
                        Fraction(c.annual_cap_pct_of_principal), c.stop_after_days, c.stop_after_days_mortgage)


def _tiyn(x: Decimal) -> int:
    return int(x.scaleb(2))


def _day(d: date | None) -> int:
    return NO_DATE if d is None else (d - EPOCH).days


def _loans(n: int, seed: int = 3):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        as_of = date(2026, 11, 20) - timedelta(days=rng.randint(0, 400))
        principal = Decimal(rng.randint(10_000, 50_000_000)) / 100
        outstanding = (principal * Decimal(rng.random())).quantize(Decimal("0.01"))
        overdue = rng.random() < 0.6
        since = as_of - timedelta(days=rng.randint(1, 900)) if overdue and rng.random() < 0.9 else None
        secured = rng.choice(list(SECURED_CODES))
        collateral = None if secured == "none" or rng.random() < 0.3 else principal * Decimal(rng.choice(["0.5", "1",
                                                                                                         "2"]))
        agency = None
        if rng.random() < 0.25:
            agency = as_of + timedelta(days=rng.randint(-500, 60))
        out.append(loan(
            principal=principal,
            annual_rate_pct=Decimal(rng.randint(0, 560_000)) / 10_000,
            term_months=24,
            day_count=rng.choice(["30E/360", "actual/365"]),
            payment_day=rng.randint(1, 31),
            issued_on=as_of - timedelta(days=rng.randint(0, 2000)),
            as_of=as_of,
            outstanding_principal=outstanding,
            overdue_principal=(outstanding / 7).quantize(Decimal("0.01")) if overdue else Decimal("0.00"),
            overdue_interest=Decimal(rng.randint(0, 5_000_000)) / 100 if overdue else Decimal("0.00"),
            penalties=Decimal(rng.randint(0, 9_000_000)) / 100 if overdue else Decimal("0.00"),
            accrued_interest=Decimal(rng.randint(0, 300_000)) / 100,
            secured_by=secured,
            collateral_value=collateral.quantize(Decimal("0.01")) if collateral is not None else None,
            overdue_since=since,
            with_collection_agency_since=agency,
        ))
    return out


def test_start_buckets_and_penalty_excess_equal_the_scalar_loan_by_loan():
    loans = _loans(3000)
    start_on = date(2026, 12, 10)

    def col(f):
        return np.array([f(x) for x in loans], dtype=np.int64)

    excess = penalty_excess_arrays(
        penalties=col(lambda x: _tiyn(x.penalties)),
        overdue_principal=col(lambda x: _tiyn(x.overdue_principal)),
        overdue_interest=col(lambda x: _tiyn(x.overdue_interest)),
        principal=col(lambda x: _tiyn(x.principal)),
        collateral_value=col(lambda x: NO_COLLATERAL if x.collateral_value is None else _tiyn(x.collateral_value)),
        no_collateral=NO_COLLATERAL,
        secured_by=col(lambda x: SECURED_CODES[x.secured_by]),
        issued_on=col(lambda x: _day(x.issued_on)),
        as_of=col(lambda x: _day(x.as_of)),
        overdue_since=col(lambda x: _day(x.overdue_since)),
        terms=_terms(),
    )
    expected_excess = [_tiyn(penalty_excess(x, RS)) for x in loans]
    assert excess.tolist() == expected_excess
    assert sum(e > 0 for e in expected_excess) > 100  # the cap bites on many of them

    got = start_buckets_arrays(
        base=col(lambda x: _tiyn(x.overdue_principal) + _tiyn(x.outstanding_principal)),
        overdue_interest=col(lambda x: _tiyn(x.overdue_interest)),
        penalties=col(lambda x: _tiyn(x.penalties)),
        accrued_interest=col(lambda x: _tiyn(x.accrued_interest)),
        rate_ppm=col(lambda x: int(x.annual_rate_pct.scaleb(4))),
        payment_day=col(lambda x: x.payment_day),
        day_count=col(lambda x: DAY_COUNT_CODES[x.day_count]),
        as_of=col(lambda x: _day(x.as_of)),
        start_on=np.full(len(loans), _day(start_on), dtype=np.int64),
        overdue_since=col(lambda x: _day(x.overdue_since)),
        agency_since=col(lambda x: _day(x.with_collection_agency_since)),
        penalty_excess=excess,
    )
    for i, x in enumerate(loans):
        b = start_buckets(
            base=_tiyn(x.overdue_principal) + _tiyn(x.outstanding_principal),
            overdue_interest=_tiyn(x.overdue_interest),
            penalties=_tiyn(x.penalties),
            accrued_interest=_tiyn(x.accrued_interest),
            rate_ppm=int(x.annual_rate_pct.scaleb(4)),
            payment_day=x.payment_day,
            day_count=x.day_count,
            as_of=x.as_of,
            start_on=start_on,
            overdue_since=x.overdue_since,
            agency_since=x.with_collection_agency_since,
            penalty_excess=expected_excess[i],
        )
        assert (int(got.overdue_interest[i]), int(got.penalties[i]), int(got.accrued[i]),
                int(got.penalty_excess[i])) == (b.overdue_interest, b.penalties, b.accrued, b.penalty_excess), x


def test_interest_beyond_int64_products_is_exact():
    # 200,000,000.00 KZT at 200% for 10 years of days: 2·b·r·d ≈ 2.9e20 overflows int64
    b, r, d = 20_000_000_000, 2_000_000, 3650
    got = interest(np.array([b, 100]), np.array([r, 120_000]), np.array([d, 30]), np.array([365, 360]))
    assert got.tolist() == [(2 * b * r * d + 365_000_000) // 730_000_000, 1]  # 100 tiyn · 12% · 30/360 = 1 tiyn
