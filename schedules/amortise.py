"""The integer core: one schedule in tiyn, by the algorithm in ``schedules/plan.py`` ("Schedule")."""

from __future__ import annotations

from dataclasses import dataclass

from schedules.terms import DeferralOf, Method


@dataclass(slots=True)
class IntSchedule:
    """Columns of a schedule in tiyn; line ``i`` is ``payment[i] = principal[i] + interest[i] + arrears[i]``."""

    payment: list[int]
    principal: list[int]
    interest: list[int]
    arrears: list[int]
    balance: list[int]
    deferred: int
    """Interest accrued during a ``principal_and_interest`` deferral, added to the arrears bucket."""


def interest(balance: int, rate_ppm: int, days: int, year_days: int) -> int:
    """``half_up(balance · rate_ppm · days / (10^6 · year_days))`` in tiyn."""
    den = 1_000_000 * year_days
    return (2 * balance * rate_ppm * days + den) // (2 * den)


def amortise(
    base: int,
    arrears: int,
    rate_ppm: int,
    year_days: int,
    days: list[int],
    deferral_months: int,
    deferral_of: DeferralOf,
    method: Method,
    level: int,
) -> IntSchedule:
    """Build the schedule of ``base`` (interest-bearing) and ``arrears`` (not) over ``len(days)`` periods.

    The first ``deferral_months`` periods are the deferral; ``level`` is the level payment (annuity,
    principal_first) or the principal part (differentiated). ``len(days) - deferral_months`` must be ≥ 1.
    """
    den = 1_000_000 * year_days
    den2 = 2 * den
    k2 = 2 * rate_ppm
    pay: list[int] = []
    prin: list[int] = []
    intr: list[int] = []
    bal_col: list[int] = []
    bal = base
    deferred = 0
    d = deferral_months
    for i in range(d):
        i_k = (bal * k2 * days[i] + den) // den2
        if deferral_of == "principal":
            pay.append(i_k)
            intr.append(i_k)
        else:
            deferred += i_k
            pay.append(0)
            intr.append(0)
        prin.append(0)
        bal_col.append(bal)
    n = len(days) - d
    last = n - 1
    pot = 0
    a_total = arrears + deferred
    truncate = base > 0 and a_total == 0
    for j in range(n):
        i_k = (bal * k2 * days[d + j] + den) // den2
        if method == "principal_first":
            pot += i_k
            if j == last:
                p_k = bal
                paid = pot
            else:
                p_k = level if level < bal else bal
                paid = level - p_k
                if paid > pot:
                    paid = pot
            pot -= paid
            i_k = paid
        elif j == last:
            p_k = bal
        elif method == "annuity":
            p_k = level - i_k
            if p_k > bal:
                p_k = bal
            elif p_k < 0:
                p_k = 0
        else:
            p_k = level if level < bal else bal
        bal -= p_k
        prin.append(p_k)
        intr.append(i_k)
        pay.append(p_k + i_k)
        bal_col.append(bal)
        if truncate and bal == 0 and pot == 0:
            break
    m = len(pay) - d
    arr = [0] * d
    if m > 0:
        share = a_total // m
        arr.extend([share] * (m - 1))
        arr.append(a_total - share * (m - 1))
        for j in range(d, d + m):
            pay[j] += arr[j]
    return IntSchedule(pay, prin, intr, arr, bal_col, deferred)
