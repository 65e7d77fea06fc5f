"""GESV (годовая эффективная ставка вознаграждения, SPEC §5; regulation §4).

``i`` such that ``Σ S_j (1+i)^(−t_j/365) = Σ P_k (1+i)^(−t_k/365)`` with ``t`` in days from ``start_on``. Here the
only advance is the amount rescheduled at ``t = 0`` (penalties excluded by the caller). Solved by float64 Newton
on ``x = ln(1+i)`` (the function is convex and decreasing in ``x``, so Newton converges from any start after at
most one overshoot), stopped when ``|Δx| < 1e-14`` (at most 100 steps). The percent ``100·i`` is then rounded
half-up to one decimal from its shortest decimal repr.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

_TENTH = Decimal("0.1")


def gesv_rate(amount: int, payments: Sequence[int], days: Sequence[int], guess: float = 0.2) -> float | None:
    """The effective annual rate ``i`` (a fraction) of ``amount`` lent at day 0 and repaid by ``payments``."""
    flows = [(float(p), t / 365.0) for p, t in zip(payments, days, strict=True) if p]
    if amount <= 0 or not flows:
        return None
    s = float(amount)
    x = math.log1p(guess) if guess > -1.0 else 0.0
    exp = math.exp
    for _ in range(100):
        g = -s
        dg = 0.0
        for p, t in flows:
            e = p * exp(-x * t)
            g += e
            dg -= e * t
        if dg == 0.0:
            return None
        step = g / dg
        x -= step
        if abs(step) < 1e-14:
            break
    return math.expm1(x)


def gesv_pct(amount: int, payments: Sequence[int], days: Sequence[int], guess: float = 0.2) -> Decimal | None:
    """GESV in percent, one decimal, half-up; ``None`` when nothing is lent or repaid."""
    i = gesv_rate(amount, payments, days, guess)
    if i is None or not math.isfinite(i):
        return None
    return Decimal(repr(100.0 * i)).quantize(_TENTH, rounding=ROUND_HALF_UP)
