"""The level (annuity) payment, exact to the tiyn, and the payment-cut term search (SPEC §2, §4).

``PMT = B·r / (1 − (1+r)^−n)`` with ``r = rate_ppm / (12·10^6)``. With ``a = 12·10^6 + rate_ppm`` and
``b = 12·10^6`` this is the rational ``B·rate_ppm·a^n / (b·(a^n − b^n))``, rounded half-up with integer arithmetic:
the true half-up of the true value, never a float's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from schedules.money import half_up_div

_B = 12 * 10**6


@lru_cache(maxsize=4096)
def _powers(rate_ppm: int, n: int) -> tuple[int, int]:
    an = (_B + rate_ppm) ** n
    return rate_ppm * an, _B * (an - _B**n)


def level_payment(base: int, rate_ppm: int, n: int) -> int:
    """The level instalment in tiyn of ``base`` tiyn over ``n`` months at ``rate_ppm`` (annual %·10^4), half-up."""
    if n < 1:
        raise ValueError("a level payment needs at least one instalment")
    if base <= 0:
        return 0
    if rate_ppm == 0:
        return half_up_div(base, n)
    num, den = _powers(rate_ppm, n)
    return half_up_div(base * num, den)


def level_instalment(base: int, arrears: int, rate_ppm: int, n: int) -> int:
    """``level_payment(base, rate, n)`` plus the regular arrears share ``floor(arrears / n)`` (SPEC §4 payment cut)."""
    return level_payment(base, rate_ppm, n) + arrears // n


def _estimate(base: int, arrears: int, rate_ppm: int, target: int) -> float:
    """A float guess of the real ``n`` solving ``PMT(base, n) + arrears/n = target``."""
    if target <= 0:
        return math.inf
    if rate_ppm == 0:
        return (base + arrears) / target
    r = rate_ppm / _B
    n = 1.0
    for _ in range(4):
        room = target - arrears / n
        if room <= base * r:
            return math.inf
        n = -math.log1p(-base * r / room) / math.log1p(r)
    return n


def shortest_term(
    base: int,
    arrears: int,
    rate_ppm: int,
    target: int,
    n_min: int,
    n_max: int,
    regular: Callable[[int], int] | None = None,
) -> int | None:
    """Smallest ``n`` in ``[n_min, n_max]`` with ``level_instalment(base, arrears, rate, n) <= target``, or ``None``.

    ``regular(n)``, when given, replaces ``level_payment``: the method's own largest regular instalment without
    the arrears share (SPEC §8, e.g. differentiated). Both are non-increasing in ``n``, so a float estimate is
    checked exactly and refined by bisection (a handful of exact evaluations instead of a scan).
    """
    n_min = max(n_min, 1)
    if n_max < n_min:
        return None

    def ok(n: int) -> bool:
        if regular is not None:
            return regular(n) + arrears // n <= target
        return level_instalment(base, arrears, rate_ppm, n) <= target

    if not ok(n_max):
        return None
    if ok(n_min):
        return n_min
    lo, hi = n_min, n_max  # invariant: not ok(lo), ok(hi)
    est = _estimate(base, arrears, rate_ppm, target)
    if math.isfinite(est):
        guess = min(max(math.ceil(est - 1e-9), lo + 1), hi)
        if ok(guess):
            hi = guess
            if guess - 1 > lo:
                if not ok(guess - 1):
                    return guess
                hi = guess - 1
        else:
            lo = guess
            if guess + 1 < hi:
                if ok(guess + 1):
                    return guess + 1
                lo = guess + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
