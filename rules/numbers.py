"""Exact rounding of ratios and money for display (SPEC §1): half-up, to the tiyn or to 4 places."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_TIYN = Decimal("0.01")
_RATIO = Decimal("0.0001")


def _exact(value: Fraction | Decimal | int) -> Decimal:
    if isinstance(value, Fraction):
        # 40 significant places is far beyond any rounding step used here.
        scale = 10**40
        return Decimal(value.numerator * scale // value.denominator) / Decimal(scale) if value >= 0 else -_exact(-value)
    return Decimal(value)


def money(value: Fraction | Decimal | int) -> Decimal:
    """Round half-up to the tiyn (2 places)."""
    return _exact(value).quantize(_TIYN, rounding=ROUND_HALF_UP)


def pct2(value: Fraction | Decimal | int) -> Decimal:
    """Round a percentage half-up to 2 places."""
    return _exact(value).quantize(_TIYN, rounding=ROUND_HALF_UP)


def ratio4(value: Fraction | Decimal | int) -> Decimal:
    """Round a ratio (KDN, DTI) half-up to 4 places."""
    return _exact(value).quantize(_RATIO, rounding=ROUND_HALF_UP)
