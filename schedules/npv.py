"""Lender NPV of a cash-flow schedule: annual discount rate, monthly compounding on due dates (SPEC §5).

``npv = t0 + Σ payment_k · (1 + δ/12)^(−τ_k)`` with ``τ_k = first_period_30e_days/30 + (k − 1)`` months: the
30E/360 month count from ``start_on`` to the k-th due date (whole months after the first). Summed in float64 in
line order starting from ``t0``, then rounded to the tiyn with ``floor(x + 0.5)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache


def month_offsets(first_period_30e_days: int, count: int) -> list[float]:
    """``τ_k`` in months for ``k = 1..count``."""
    f = first_period_30e_days / 30
    return [f + k for k in range(count)]


def npv_tiyn(t0: int, payments: Sequence[int], taus: Sequence[float], discount_rate_pct: Decimal) -> int:
    """NPV in tiyn of ``t0`` now plus ``payments[k]`` at ``taus[k]`` months, at ``discount_rate_pct`` a year."""
    v = 1.0 + float(discount_rate_pct) / 1200.0
    total = float(t0)
    for p, tau in zip(payments, taus, strict=True):
        if p:
            total += p * v**-tau
    return math.floor(total + 0.5)


@lru_cache(maxsize=256)
def discount_factors(first_period_30e_days: int, count: int, discount_rate_pct: Decimal) -> tuple[float, ...]:
    """``v^(−τ_k)`` for ``k = 1..count`` (the factors ``npv_tiyn`` applies, bit for bit)."""
    v = 1.0 + float(discount_rate_pct) / 1200.0
    return tuple(v**-tau for tau in month_offsets(first_period_30e_days, count))


def npv_of(t0: int, payments: Sequence[int], factors: Sequence[float]) -> int:
    """``npv_tiyn`` with the factors of :func:`discount_factors`: the same sum in the same order."""
    total = float(t0)
    for p, f in zip(payments, factors, strict=True):
        if p:
            total += p * f
    return math.floor(total + 0.5)
