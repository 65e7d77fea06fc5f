"""The level payment ``PMT = B·r / (1 − (1+r)^−n)`` over arrays, exact to the tiyn (SPEC §1, §2).

float64 gives the value to about 1e-14 relative; half-up rounding only goes wrong when the value
lies within that error of a half tiyn. Such near-ties (``|frac − 0.5| < 1e-6 + 1e-13·value`` tiyn,
orders of magnitude above the float error) are recomputed with the scalar engine's exact rational
``schedules.annuity.level_payment``, so the result equals the scalar engine's. A zero rate is
``half_up(B, n)`` in integers; ``B ≤ 0`` gives 0 (as the scalar).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from schedules.annuity import level_payment as exact_level_payment

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

RATE_SCALE = 10**4
"""Rates travel as integer percent × 10^4 (ppm of the annual fraction): "36.00" → 360000."""
TIE_ABS = 1e-6
TIE_REL = 1e-13


def level_payment(base: I64, rate_ppm: I64, n: I64, *, stats: list[int] | None = None) -> I64:
    """Vectorised PMT in tiyn, half-up, for each loan (``n ≥ 1``); near-ties recomputed exactly.

    ``stats`` (optional) gets the number of loans recomputed exactly appended.
    """
    b = base.astype(np.float64)
    r = rate_ppm.astype(np.float64) / (12.0 * 10**6)
    nf = n.astype(np.float64)
    zero = rate_ppm == 0
    denom = -np.expm1(-nf * np.log1p(r))
    denom[zero] = 1.0
    value = b * r / denom
    low = np.floor(value)
    frac = value - low
    out = low.astype(np.int64) + (frac >= 0.5)
    tie = np.abs(frac - 0.5) < TIE_ABS + value * TIE_REL
    idx = np.flatnonzero(tie & ~zero)
    for i in idx.tolist():
        out[i] = exact_level_payment(int(base[i]), int(rate_ppm[i]), int(n[i]))
    if zero.any():
        out[zero] = (2 * base[zero] + n[zero]) // (2 * n[zero])
    out[base <= 0] = 0
    if stats is not None:
        stats.append(int(idx.size))
    return out


def level_payment_float_round(base: F64, rate_pct: F64, n: F64) -> F64:
    """The naive float kernel (``np.round`` of a float PMT in tenge), kept to measure how often it errs."""
    r = rate_pct / 1200.0
    return np.asarray(np.round(base * r / (1.0 - (1.0 + r) ** -n), 2), dtype=np.float64)
