"""The start buckets and the unlawful-penalty excess of many loans at once, as int64 arrays.

Vectorised forms of ``schedules.accrual.start_buckets`` (SPEC §8, LMF Art. 9-2 p.8) and of R-PENALTY's excess
(``rules.penalty.penalty_excess``, LMF Art. 6 p.3, Art. 7 p.3 sub 4-5), for loans loaded as columns. Every figure is
the scalar's to the tiyn (``tests/unit/schedules/test_batch_start.py`` checks it loan by loan). Money in tiyn, dates
in days since 1970-01-01; a missing date is :data:`NO_DATE`. The penalty caps come in as plain numbers
(:class:`PenaltyTerms`), so this module stays free of the rule sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from schedules.batch_calendar import DC_30E_360, MI_MIN, month_tables, split_dates

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

NO_DATE = -(10**9)
"""A missing date (``overdue_since``, ``with_collection_agency_since``)."""
SECURED_CODES: dict[str, int] = {"none": 0, "pledge": 1, "mortgage": 2, "deposit": 3}
SECURED_NONE, SECURED_MORTGAGE = 0, 2
_SAFE = 2**62


def _mul_half_up(a: I64, b: I64, den: int) -> I64:
    """``half_up(a · b / den)`` for ``a, b ≥ 0``; elements whose product could overflow int64 use Python ints."""
    big = 2.0 * np.abs(a).astype(np.float64) * np.abs(b) >= _SAFE
    out = (2 * np.where(big, 0, a) * b + den) // (2 * den)
    for i in np.flatnonzero(big):
        out[i] = (2 * int(a[i]) * int(b[i]) + den) // (2 * den)
    return out


def _scale(*values: Fraction) -> int:
    """The least power of ten that makes every value whole."""
    scale = 1
    while any((v * scale).denominator != 1 for v in values):
        scale *= 10
        if scale > 10**12:
            raise ValueError("penalty percentages with more than 12 decimals")
    return scale


def interest(balance: I64, rate_ppm: I64, days: I64, year_days: I64) -> I64:
    """``schedules.amortise.interest`` element-wise; products that could overflow int64 are done in Python ints."""
    den = 1_000_000 * year_days
    bound = 2.0 * np.abs(balance).astype(np.float64) * np.abs(rate_ppm) * np.abs(days)
    big = bound >= _SAFE
    out = (2 * balance * rate_ppm * days + den) // (2 * den)
    for i in np.flatnonzero(big):
        b, r, d, y = int(balance[i]), int(rate_ppm[i]), int(days[i]), int(den[i])
        out[i] = (2 * b * r * d + y) // (2 * y)
    return out


def _day30(days: I64, payment_day: I64) -> I64:
    first, dim = month_tables()
    mi, dom = split_dates(days)
    clamped = np.minimum(payment_day, dim[mi - MI_MIN])
    return np.where(dom == clamped, np.minimum(payment_day, 30), np.minimum(dom, 30))


def accrual_days(start: I64, end: I64, payment_day: I64, day_count: I64) -> I64:
    """``schedules.accrual.accrual_days`` element-wise (0 when ``end ≤ start``)."""
    mi_s, _ = split_dates(start)
    mi_e, _ = split_dates(end)
    d30 = np.maximum(0, 30 * (mi_e - mi_s) + _day30(end, payment_day) - _day30(start, payment_day))
    days = np.where(day_count == DC_30E_360, d30, end - start)
    return np.where(end <= start, 0, days)


@dataclass(frozen=True)
class Starts:
    """What ``start_buckets`` gives, per loan."""

    overdue_interest: I64
    penalties: I64
    accrued: I64
    penalty_excess: I64


def start_buckets(
    *,
    base: I64,
    overdue_interest: I64,
    penalties: I64,
    accrued_interest: I64,
    rate_ppm: I64,
    payment_day: I64,
    day_count: I64,
    as_of: I64,
    start_on: I64,
    overdue_since: I64,
    agency_since: I64,
    penalty_excess: I64,
) -> Starts:
    """``schedules.accrual.start_buckets`` for every loan (see that module for the law and the choices)."""
    yd = np.where(day_count == DC_30E_360, 360, 365).astype(np.int64)
    accrued = accrued_interest + interest(base, rate_ppm, accrual_days(as_of, start_on, payment_day, day_count), yd)
    oi = overdue_interest.copy()
    excess = np.minimum(np.maximum(penalty_excess, 0), penalties)
    pen = penalties - excess
    agency = (agency_since != NO_DATE) & (agency_since < start_on)
    if agency.any():
        a = np.flatnonzero(agency)
        ag = agency_since[a]
        owed = interest(base[a], rate_ppm[a], accrual_days(ag, start_on[a], payment_day[a], day_count[a]), yd[a])
        agency_i = np.minimum(owed, accrued[a] + oi[a])
        take = np.minimum(agency_i, accrued[a])
        accrued[a] -= take
        oi[a] -= agency_i - take
        p, since, asof = pen[a], overdue_since[a], as_of[a]
        eligible = (ag <= asof) & (p != 0)
        whole = eligible & ((since == NO_DATE) | (ag <= since))
        part = eligible & ~whole & (since < asof)
        total_days = np.where(part, asof - since, 1)
        share = np.minimum(p, -(-p * (asof - ag) // total_days))
        agency_p = np.where(whole, p, np.where(part, share, 0))
        pen[a] = p - agency_p
    return Starts(oi, pen, accrued, excess)


@dataclass(frozen=True)
class PenaltyTerms:
    """R-PENALTY's caps of a rule set (``RuleSet.penalty``) as exact numbers."""

    daily_pct_until_day: Fraction
    daily_pct_after: Fraction
    tier_days: int
    annual_cap_pct_of_principal: Fraction
    stop_after_days: int
    stop_after_days_mortgage: int


def _scaled(value: Fraction, scale: int) -> int:
    scaled = value * scale
    if scaled.denominator != 1:
        raise ValueError(f"{value} does not fit a scale of {scale}")
    return int(scaled)


def _year_parts(days: I64) -> tuple[I64, I64]:
    mi, dom = split_dates(days)
    return mi // 12, (mi % 12) * 32 + dom  # year offset, a (month, day) key that orders like the pair


def penalty_excess(
    *,
    penalties: I64,
    overdue_principal: I64,
    overdue_interest: I64,
    principal: I64,
    collateral_value: I64,
    no_collateral: int,
    secured_by: I64,
    issued_on: I64,
    as_of: I64,
    overdue_since: I64,
    terms: PenaltyTerms,
) -> I64:
    """``rules.penalty.penalty_excess`` for every loan: penalties above ``min(daily, annual)`` cap; 0 without
    penalties or ``overdue_since``."""
    scale = _scale(terms.daily_pct_until_day, terms.daily_pct_after, terms.annual_cap_pct_of_principal)
    p1 = _scaled(terms.daily_pct_until_day, scale)
    p2 = _scaled(terms.daily_pct_after, scale)
    pa = _scaled(terms.annual_cap_pct_of_principal, scale)
    known = overdue_since != NO_DATE
    days = np.where(known, np.maximum(0, as_of - overdue_since), 0)
    fully = (secured_by != SECURED_NONE) & (collateral_value != no_collateral) & (collateral_value >= principal)
    stop = np.where(secured_by == SECURED_MORTGAGE, terms.stop_after_days_mortgage, terms.stop_after_days)
    no_stop = (secured_by != SECURED_MORTGAGE) & fully
    accrual = np.where(no_stop, days, np.minimum(days, stop))
    first = np.minimum(accrual, terms.tier_days)
    later = np.maximum(0, accrual - terms.tier_days)
    overdue = overdue_principal + overdue_interest
    daily = _mul_half_up(overdue, p1 * first + p2 * later, 100 * scale)
    y_i, k_i = _year_parts(issued_on)
    y_a, k_a = _year_parts(as_of)
    years = np.maximum(1, y_a - y_i + (k_a >= k_i))
    annual = _mul_half_up(principal, pa * years, 100 * scale)
    cap = np.minimum(daily, annual)
    applies = (penalties > 0) & known
    return np.where(applies, np.maximum(0, penalties - cap), 0)
