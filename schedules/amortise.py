"""The integer core: one schedule in tiyn, by the algorithm in ``schedules/plan.py`` ("Schedule")."""

from __future__ import annotations

from collections.abc import Sequence
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
    days: Sequence[int],
    deferral_months: int,
    deferral_of: DeferralOf,
    method: Method,
    level: int,
    memo: dict[tuple[object, ...], tuple[list[int], list[int]]] | None = None,
) -> IntSchedule:
    """Build the schedule of ``base`` (interest-bearing) and ``arrears`` (not) over ``len(days)`` periods.

    The first ``deferral_months`` periods are the deferral; ``level`` is the level payment (annuity,
    principal_first) or the principal part (differentiated). ``len(days) - deferral_months`` must be ≥ 1.
    ``memo`` shares the amortising lines between schedules that differ only in arrears or deferral kind (the
    plans of one loan).
    """
    den = 1_000_000 * year_days
    den2 = 2 * den
    k2 = 2 * rate_ppm
    d = deferral_months
    deferred = 0
    if deferral_of == "principal":
        intr = [(base * k2 * x + den) // den2 for x in days[:d]]
    elif deferral_of == "interest_free":  # LMF Art. 7 p.2 sub 11-2: nothing paid, nothing accrues
        intr = [0] * d
    else:
        deferred = sum((base * k2 * x + den) // den2 for x in days[:d])
        intr = [0] * d
    truncate = base > 0 and arrears + deferred == 0
    tail = days[d:]
    if memo is None:
        prin_t, intr_t = _amortising(base, rate_ppm, den, tail, method, level, truncate)
    else:
        key = (base, rate_ppm, den, tuple(tail), method, level, truncate)
        got = memo.get(key)
        if got is None:
            got = memo[key] = _amortising(base, rate_ppm, den, tail, method, level, truncate)
        prin_t, intr_t = got
    prin = [0] * d + prin_t
    intr += intr_t
    m = len(prin_t)
    a_total = arrears + deferred
    bal_col = [base] * d
    bal_col += accumulate(prin_t, sub, initial=base)
    del bal_col[d]  # the running balance after each line (``initial`` was the balance before the first)
    arr = [0] * d
    if m > 0:
        share = a_total // m
        arr += [share] * (m - 1)
        arr.append(a_total - share * (m - 1))
    pay = list(map(add, map(add, prin, intr), arr))
    return IntSchedule(pay, prin, intr, arr, bal_col, deferred)


def _amortising(
    base: int, rate_ppm: int, den: int, days: Sequence[int], method: Method, level: int, truncate: bool
) -> tuple[list[int], list[int]]:
    """Principal and interest paid of the amortising lines (``len(days)`` of them, fewer when truncated)."""
    den2 = 2 * den
    k2 = 2 * rate_ppm
    # ``2·rate·days`` of each period: interest is ``(bal · kd + den) // den2`` (half-up, integers only).
    kds = [k2 * x for x in days]
    n = len(kds)
    prin: list[int] = []
    intr: list[int] = []
    pot = 0
    done = False
    bal = base
    ra, ia = prin.append, intr.append
    # Lines 1..n−1; the planned last line (``P = bal``) follows unless the schedule is truncated first.
    if method == "annuity":
        for kd in kds[: n - 1]:
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
        for kd in kds[: n - 1]:
            ia((bal * kd + den) // den2)
            p_k = level if level < bal else bal
            bal -= p_k
            ra(p_k)
            if not bal and truncate:
                done = True
                break
    else:
        for kd in kds[: n - 1]:
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
        i_k = (bal * kds[n - 1] + den) // den2
        ra(bal)
        ia(i_k + pot if method == "principal_first" else i_k)
    return prin, intr


def differentiated_regular(base: int, rate_ppm: int, year_days: int, days: Sequence[int]) -> int:
    """The largest regular instalment (principal part + interest) of a differentiated schedule of ``base`` over
    ``len(days)`` amortising lines (lines 1..n−1; line 1 when n = 1), without the arrears share.

    SPEC §8 "Payment cut on any method": with 30E/360 and a full first period this is the first instalment; a
    short first period or actual/365 months (a 31-day month after February) can make a later line the largest,
    so the lines are scanned until no later line can exceed the largest found (the balance only falls).
    """
    n = len(days)
    if n < 1 or base <= 0:
        return 0
    part = base // n
    den = 1_000_000 * year_days
    top_days = max(days[1:], default=0)
    best = 0
    bal = base
    for j in range(max(n - 1, 1)):
        pay = part + interest(bal, rate_ppm, days[j], year_days)
        if pay > best:
            best = pay
        bal -= part
        if j >= 1 and part + (2 * bal * rate_ppm * top_days + den) // (2 * den) <= best:
            break
    return best
