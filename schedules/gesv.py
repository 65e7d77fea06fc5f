"""GESV (годовая эффективная ставка вознаграждения, SPEC §5; regulation §4).

``i`` such that ``Σ S_j (1+i)^(−t_j/365) = Σ P_k (1+i)^(−t_k/365)`` with ``t`` in days from ``start_on``. Here the
only advance is the amount rescheduled at ``t = 0`` (penalties excluded by the caller). Solved by float64 Newton
on ``x = ln(1+i)``, stopped when ``|Δx| < 1e-14`` (at most 100 steps). The function is convex and decreasing in
``x``: from the left of the root Newton climbs to it monotonically; from the right it overshoots once. A far
overshoot (below ``x = −1`` when the payments are at least the amount, so that the root is ``≥ 0``) restarts
from ``x = 0``, a point left of the root, so ``exp`` never overflows (a loan paying almost everything at the
end of a long high-rate schedule, e.g. principal_first with a tiny level, used to raise ``OverflowError``). The
percent ``100·i`` is then rounded half-up to one decimal from its shortest decimal repr.

``gesv_pct`` first solves by Halley's method (cubic convergence) stopped at ``|Δx| < 1e-5``, which leaves ``x``
within ~``t_max²·1e-15`` of the root (two iterations from the usual guess), and keeps that answer unless
``100·i`` lies within 1e-6 of a rounding tie (``…x.x5``) or of 0 (whose rounding keeps the sign: ``-0.0``);
then, and only then, the full Newton iteration above runs, and near a tie the side is decided exactly
(``_exact_tie``, SPEC §8): a plan whose exact GESV is 46.05% shows 46.1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

_TENTH = Decimal("0.1")
_FAST_STEP = 1e-5
"""Early stop of ``gesv_pct``'s Halley iteration: after a step this small ``x`` is within ~``t_max²·step³``."""
_TIE_MARGIN = 1e-5
"""Distance (in tenths of a percent) from a rounding tie below which ``gesv_pct`` runs the full iteration."""


def _flows(
    amount: int, payments: Sequence[int], years: Sequence[float]
) -> tuple[list[float], list[float], float, float]:
    """The non-zero payments and their times in years; an iterate below ``guard`` restarts from ``restart``."""
    if 0 in payments:
        ps = [float(p) for p in payments if p]
        ts = [t for p, t in zip(payments, years, strict=True) if p]
    else:
        if len(years) != len(payments):
            raise ValueError("one time per payment")
        ps = list(map(float, payments))
        ts = list(years)
    if not ps or amount <= 0:
        return ps, ts, -math.inf, -math.inf
    total = sum(payments)
    if total >= amount:
        return ps, ts, -1.0, 0.0  # the root is ≥ 0
    t_min = min(ts)
    if total <= 0 or t_min <= 0.0:
        return ps, ts, -math.inf, -math.inf
    # Σ P e^(−x t) ≥ total · e^(−x t_min) = amount at x = ln(total/amount)/t_min (< 0): left of the root.
    lo = math.log(total / amount) / t_min
    return ps, ts, lo, lo


def _newton(s: float, ps: list[float], ts: list[float], x: float, guard: float, restart: float) -> float | None:
    """Newton on ``x`` until ``|Δx| < 1e-14`` (below ``guard``: back to ``restart``); ``None`` if it cannot."""
    exp = math.exp
    for _ in range(100):
        g = -s
        dg = 0.0
        for p, t in zip(ps, ts, strict=True):
            e = p * exp(-x * t)
            g += e
            dg -= e * t
        if dg == 0.0:
            return None
        step = g / dg
        x -= step
        if x < guard:
            x = restart
        elif abs(step) < 1e-14:
            break
    return x


def _halley(s: float, ps: list[float], ts: list[float], x: float, guard: float, restart: float) -> float | None:
    """Halley on ``x`` until a Halley step ``< _FAST_STEP`` (a Newton step where Halley's is not defined)."""
    exp = math.exp
    for _ in range(100):
        g = -s
        d1 = 0.0
        d2 = 0.0
        for p, t in zip(ps, ts, strict=True):
            e = p * exp(-x * t)
            et = e * t
            g += e
            d1 -= et
            d2 += et * t
        if d1 == 0.0:
            return None
        den = 2.0 * d1 * d1 - g * d2
        halley = den > 0.0
        step = 2.0 * g * d1 / den if halley else g / d1
        x -= step
        if x < guard:
            x = restart
        elif halley and abs(step) < _FAST_STEP:
            return x
    return None


def gesv_rate(amount: int, payments: Sequence[int], days: Sequence[int], guess: float = 0.2) -> float | None:
    """The effective annual rate ``i`` (a fraction) of ``amount`` lent at day 0 and repaid by ``payments``."""
    ps, ts, guard, restart = _flows(amount, payments, [t / 365.0 for t in days])
    if amount <= 0 or not ps:
        return None
    x0 = math.log1p(guess) if guess > -1.0 else 0.0
    try:
        x = _newton(float(amount), ps, ts, x0, guard, restart)
        return None if x is None else math.expm1(x)
    except OverflowError:  # only when the payments fall far short of the amount (never from a schedule)
        return None


def _pct(pct: float) -> Decimal | None:
    if not math.isfinite(pct):
        return None
    return Decimal(repr(pct)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def gesv_pct(amount: int, payments: Sequence[int], days: Sequence[int], guess: float = 0.2) -> Decimal | None:
    """GESV in percent, one decimal, half-up; ``None`` when nothing is lent or repaid."""
    return gesv_pct_years(amount, payments, [t / 365.0 for t in days], guess)


def gesv_pct_years(
    amount: int, payments: Sequence[int], years: Sequence[float], guess: float = 0.2
) -> Decimal | None:
    """``gesv_pct`` with the times given as ``days / 365.0`` (so a schedule's calendar can cache them)."""
    ps, ts, guard, restart = _flows(amount, payments, years)
    if amount <= 0 or not ps:
        return None
    x0 = math.log1p(guess) if guess > -1.0 else 0.0
    try:
        x = _halley(float(amount), ps, ts, x0, guard, restart)
    except OverflowError:
        x = None
    if x is not None and -1.0 < x < 7.0 and max(ts) <= 50.0:  # |i| < ~1000, ≤ 50 years: the bound above holds
        pct = 100.0 * math.expm1(x)
        tenths = pct * 10.0
        if abs(tenths - math.floor(tenths) - 0.5) > _TIE_MARGIN and abs(tenths) > _TIE_MARGIN:
            return _pct(pct)
    try:
        x = _newton(float(amount), ps, ts, x0, guard, restart)
    except OverflowError:
        return None
    if x is None:
        return None
    pct = 100.0 * math.expm1(x)
    tenths = pct * 10.0
    if math.isfinite(tenths) and abs(tenths) > _TIE_MARGIN:
        k = math.floor(tenths)
        if abs(tenths - k - 0.5) <= _TIE_MARGIN:
            return _exact_tie(amount, payments, years, k)
    return _pct(pct)


def _exact_tie(amount: int, payments: Sequence[int], years: Sequence[float], k: int) -> Decimal:
    """SPEC §8 "GESV rounding is exact": the root is near the tie ``(k + ½)/10`` percent; the sign of
    ``F(i) = Σ P (1+i)^(−t/365) − S0`` at the tie decides (F falls as ``i`` rises): above the tie → ``(k+1)/10``,
    below → ``k/10``, exactly on it → half-up (away from zero).

    ``F(tie)`` is evaluated in exact rational arithmetic (``Fraction``) when every ``t`` is a whole number of years
    (then each term is rational). Otherwise ``(1+i)^(t/365)`` is irrational: it is evaluated with 60-digit decimals,
    whose error is far below 10^-40 of the payments, and only a value within that bound counts as exactly on the tie.
    """
    tie = Fraction(2 * k + 1, 2000)  # (k + ½) tenths of a percent, as a fraction
    days = [round(y * 365.0) for y in years]
    flows = [(p, t) for p, t in zip(payments, days, strict=True) if p]
    if all(t % 365 == 0 for _, t in flows):
        q = 1 + tie
        value = sum((Fraction(p) / q ** (t // 365) for p, t in flows), Fraction(0)) - amount
        side = (value > 0) - (value < 0)
    else:
        with localcontext() as ctx:
            ctx.prec = 60
            q_dec = Decimal(tie.numerator) / Decimal(tie.denominator) + 1
            total = sum((Decimal(p) * q_dec ** (Decimal(-t) / 365) for p, t in flows), Decimal(0)) - amount
            bound = Decimal(sum(abs(p) for p, _ in flows) + amount) * Decimal("1e-40")
            side = 0 if abs(total) <= bound else (1 if total > 0 else -1)
    if side == 0:
        side = 1 if tie > 0 else -1
    return (Decimal(k + 1) if side > 0 else Decimal(k)) * _TENTH
