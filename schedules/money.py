"""Money: ``Decimal`` tenge with two places outside, integer tiyn (1/100 tenge) inside (SPEC §1).

Every rounding the engine does is one of the integer helpers below, on non-negative Python ints:
``half_up_div`` (ROUND_HALF_UP of an exact quotient) and ``floor_div`` (round down, for equal parts).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(x: Decimal) -> Decimal:
    """Round ``x`` half-up to the tiyn (0.01): ``1.005 → 1.01``, ``-1.005 → -1.01``."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def to_tiyn(x: Decimal) -> int:
    """Exact tenge → tiyn; ``ValueError`` when ``x`` is not a whole number of tiyn (never rounds silently)."""
    scaled = x.scaleb(2)
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{x} is not a whole number of tiyn")
    return int(scaled)


def to_ppm(x: Decimal) -> int:
    """Exact percent → rate_ppm (percent × 10^4, ``36.5 → 365000``); ``ValueError`` past four decimals."""
    scaled = x.scaleb(4)
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{x} has more than four decimals")
    return int(scaled)


def from_tiyn(n: int) -> Decimal:
    """Tiyn → tenge as a ``Decimal`` with exactly two places: ``150 → Decimal('1.50')``."""
    return Decimal(n).scaleb(-2)


def half_up_div(num: int, den: int) -> int:
    """``num / den`` rounded half-up (a tie away from zero), exactly, for any sign of ``num``; ``den > 0``."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def floor_div(num: int, den: int) -> int:
    """``num / den`` rounded down (an equal part, SPEC §1), for ``num >= 0`` and ``den > 0``."""
    return num // den
