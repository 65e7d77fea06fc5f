"""The integer core: one schedule in tiyn, by the algorithm in ``schedules/plan.py`` ("Schedule")."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from operator import add, sub

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
    d = deferral_months
    # ``2·rate·days`` of each period: interest is ``(bal · kd + den) // den2`` (half-up, integers only).
    kds = [k2 * x for x in days]
    deferred = 0
    if deferral_of == "principal":
        intr = [(base * kd + den) // den2 for kd in kds[:d]]
    else:
        deferred = sum((base * kd + den) // den2 for kd in kds[:d])
        intr = [0] * d
    prin = [0] * d
    n = len(days) - d
    pot = 0
    a_total = arrears + deferred
    truncate = base > 0 and a_total == 0
    done = False
    bal = base
    ra, ia = prin.append, intr.append
    # Lines 1..n−1; the planned last line (``P = bal``) follows unless the schedule is truncated first.
    if method == "annuity":
        for kd in kds[d : d + n - 1]:
            i_k = (bal * kd + den) // den2
            p_k = level - i_k
            if p_k > bal:
                p_k = bal
            elif p_k < 0:
                p_k = 0
            bal -= p_k
            ra(p_k)
            ia(i_k)
            if not bal and truncate:
                done = True
                break
    elif method == "differentiated":
        for kd in kds[d : d + n - 1]:
            ia((bal * kd + den) // den2)
            p_k = level if level < bal else bal
            bal -= p_k
            ra(p_k)
            if not bal and truncate:
                done = True
                break
    else:
        for kd in kds[d : d + n - 1]:
            pot += (bal * kd + den) // den2
            p_k = level if level < bal else bal
            paid = level - p_k
            if paid > pot:
                paid = pot
            pot -= paid
            bal -= p_k
            ra(p_k)
            ia(paid)
            if not bal and not pot and truncate:
                done = True
                break
    if not done and n > 0:
        i_k = (bal * kds[d + n - 1] + den) // den2
        ra(bal)
        ia(i_k + pot if method == "principal_first" else i_k)
    m = len(prin) - d
    bal_col = [base] * d
    bal_col += accumulate(prin[d:], sub, initial=base)
    del bal_col[d]  # the running balance after each line (``initial`` was the balance before the first)
    arr = [0] * d
    if m > 0:
        share = a_total // m
        arr += [share] * (m - 1)
        arr.append(a_total - share * (m - 1))
    pay = list(map(add, map(add, prin, intr), arr))
    return IntSchedule(pay, prin, intr, arr, bal_col, deferred)
