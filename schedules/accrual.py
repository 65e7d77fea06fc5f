"""What a plan reschedules besides the snapshot's buckets, and what the law keeps out of it (SPEC §8).

All amounts in tiyn; pure functions of the snapshot's figures and the plan's ``start_on``.

* **Accrued interest** (SPEC §8 "Accrued interest"): the snapshot's ``accrued_interest`` (since the last due date,
  as of ``as_of``) plus the contract-rate interest on ``B0 = outstanding + overdue principal`` from ``as_of`` to
  ``start_on`` (``interest(B0, rate, days)``, days by the loan's day count: 30E/360 with its payment day, or
  actual; 0 when ``start_on ≤ as_of``) join the non-interest-bearing arrears bucket. Nothing between the last
  due date and ``start_on`` is lost. ``B0`` is the snapshot's: the interest accrues under the contract before the
  plan (forgiveness, settlement) takes effect on ``start_on``.
* **Unlawful penalties** (LMF Art. 6 p.3; SPEC §8): ``penalty_excess`` (penalties above R-PENALTY's cap, found by
  ``rules/``) leaves the bucket first.
* **Collection agency** (LMF Art. 9-2 p.8): while a collection agency holds the debt (from
  ``with_collection_agency_since`` = ``S``), no interest is demanded and no penalty accrues, so none of it is
  rescheduled:
  - interest: ``interest(B0, rate, days(S → start_on))`` at the contract rate, taken from the accrued interest
    first, then from the overdue interest (never more than both);
  - penalties: the snapshot does not say when each penalty accrued, so the part of the overdue days that fell in
    the agency's period is removed pro rata, rounded up in the borrower's favour: ``ceil(pen · days(max(S,
    overdue_since) → as_of) / days(overdue_since → as_of))``; all of it without ``overdue_since``; none when ``S``
    is after ``as_of``. (A choice where the statute gives no formula; stated in the assessment.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schedules.amortise import interest
from schedules.calendar import days_30e, year_days
from schedules.terms import DayCount


@dataclass(frozen=True, slots=True)
class StartBuckets:
    """The buckets a plan starts from, and what was kept out of them."""

    overdue_interest: int
    penalties: int
    accrued: int
    """Accrued interest + interest from ``as_of`` to ``start_on``, after the agency's exclusion."""
    penalty_excess: int
    agency_interest: int
    agency_penalties: int


def accrual_days(start: date, end: date, payment_day: int, day_count: DayCount) -> int:
    """Days of interest from ``start`` to ``end`` by the day count (0 when ``end ≤ start``)."""
    if end <= start:
        return 0
    if day_count == "30E/360":
        return max(0, days_30e(start, end, payment_day))
    return (end - start).days


def start_buckets(
    *,
    base: int,
    overdue_interest: int,
    penalties: int,
    accrued_interest: int,
    rate_ppm: int,
    payment_day: int,
    day_count: DayCount,
    as_of: date,
    start_on: date,
    overdue_since: date | None,
    agency_since: date | None,
    penalty_excess: int = 0,
) -> StartBuckets:
    """SPEC §8 (accrued interest, unlawful penalties), LMF Art. 9-2 p.8 (collection agency): see the module."""
    yd = year_days(day_count)
    gap = interest(base, rate_ppm, accrual_days(as_of, start_on, payment_day, day_count), yd)
    accrued = accrued_interest + gap
    oi = overdue_interest
    excess = min(max(penalty_excess, 0), penalties)
    pen = penalties - excess
    agency_i = agency_p = 0
    if agency_since is not None and agency_since < start_on:
        owed = interest(base, rate_ppm, accrual_days(agency_since, start_on, payment_day, day_count), yd)
        agency_i = min(owed, accrued + oi)
        take = min(agency_i, accrued)
        accrued -= take
        oi -= agency_i - take
        if agency_since <= as_of and pen:
            if overdue_since is None or agency_since <= overdue_since:
                agency_p = pen
            elif overdue_since < as_of:
                total_days = (as_of - overdue_since).days
                agency_days = (as_of - agency_since).days
                agency_p = min(pen, -(-pen * agency_days // total_days))
        pen -= agency_p
    return StartBuckets(oi, pen, accrued, excess, agency_i, agency_p)
