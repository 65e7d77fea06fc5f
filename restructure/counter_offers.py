"""SPEC §8 Mandatory cases: a counter-offer to a request the lender must grant (R-MANDATORY, LMF Art. 9-2 p.3;
ARDFM Res. 49/2025) must contain every change the borrower asked for and add relief. Pure: plan parameters only.

Each parameter is compared by how much it relieves the borrower: a lower rate, more months, a deeper cut, a longer
or fuller deferral, more forgiven. Parameters that are not relief (method, payment day, settlement) must be kept
exactly as asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from schedules.terms import ALL, Forgiveness, PlanParams

_DEFERRAL_DEPTH = {None: 0, "principal": 1, "principal_and_interest": 2}


@dataclass(frozen=True)
class Coverage:
    """What a counter-offer misses of the request (parameter names), and whether it adds relief beyond it."""

    missing: tuple[str, ...]
    adds_relief: bool

    @property
    def allowed(self) -> bool:
        return not self.missing and self.adds_relief


def _amount(value: Decimal | Literal["all"] | None) -> Decimal:
    if value is None:
        return Decimal(0)
    return Decimal("Infinity") if value == ALL else Decimal(value)


def _compare(asked: object, offered: object, *, lower_is_more: bool = False) -> int:
    """-1: less relief than asked, 0: the same, 1: more."""
    if asked is None and offered is None:
        return 0
    if offered is None:
        return -1
    if asked is None:
        return 1
    a, o = Decimal(str(asked)), Decimal(str(offered))
    if lower_is_more:
        a, o = -a, -o
    return (o > a) - (o < a)


def _forgiveness(asked: Forgiveness | None, offered: Forgiveness | None) -> list[int]:
    asked, offered = asked or Forgiveness(), offered or Forgiveness()
    out = []
    for part in ("overdue_principal", "overdue_interest", "penalties"):
        a, o = _amount(getattr(asked, part)), _amount(getattr(offered, part))
        out.append((o > a) - (o < a))
    return out


def coverage(requested: PlanParams, offered: PlanParams) -> Coverage:
    """Which requested changes ``offered`` leaves out, and whether it relieves more than ``requested``."""
    signs: dict[str, int] = {
        "new_rate_pct": _compare(requested.new_rate_pct, offered.new_rate_pct, lower_is_more=True),
        "extra_months": _compare(requested.extra_months, offered.extra_months),
        "payment_cut_pct": _compare(requested.payment_cut_pct, offered.payment_cut_pct),
        "deferral_months": _compare(requested.deferral_months, offered.deferral_months),
        "deferral_of": _compare(_DEFERRAL_DEPTH[requested.deferral_of], _DEFERRAL_DEPTH[offered.deferral_of]),
        "forgive_shortfall": _compare(int(requested.forgive_shortfall), int(offered.forgive_shortfall)),
    }
    forgiven = _forgiveness(requested.forgive, offered.forgive)
    signs["forgive"] = -1 if -1 in forgiven else max(forgiven)
    missing = [name for name, sign in signs.items() if sign < 0]
    for name in ("method", "payment_day", "settlement_value"):
        if getattr(requested, name) is not None and getattr(offered, name) != getattr(requested, name):
            missing.append(name)
    return Coverage(missing=tuple(missing), adds_relief=any(sign > 0 for sign in signs.values()))
