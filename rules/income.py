"""Monthly incomes and their averages over the months before the application month (SPEC §3).

Incomes are a mapping from the first day of a month to an exact ``Decimal`` amount. Sums are kept exact so that
ratio tests compare exactly; the averages shown to people are rounded half-up to the tiyn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from rules.errors import InvalidIncome, InvalidMonth, MissingIncomeMonths
from rules.numbers import money, pct2

Incomes = Mapping[date, Decimal]
"""Income per month: key = the first day of the month, value = the month's official income in KZT."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """Parse ``"YYYY-MM"`` (the API's month format) into the first day of that month."""
    m = _MONTH.match(text)
    if m is None:
        raise InvalidMonth(f"month must be YYYY-MM, got {text!r}")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise InvalidMonth(f"no such month: {text!r}")
    return date(year, month, 1)


def format_month(month: date) -> str:
    """The ``"YYYY-MM"`` spelling of a month."""
    return f"{month.year:04d}-{month.month:02d}"


def month_of(day: date) -> date:
    """The first day of the month containing ``day`` (the application month M of SPEC §3)."""
    return day.replace(day=1)


def months_before(month: date, count: int) -> tuple[date, ...]:
    """The ``count`` months before ``month``, oldest first (``month`` itself excluded)."""
    index = month.year * 12 + month.month - 1
    return tuple(date((i // 12), i % 12 + 1, 1) for i in range(index - count, index))


def parse_incomes(items: Mapping[str, Decimal | str | int]) -> dict[date, Decimal]:
    """Build an ``Incomes`` mapping from ``{"YYYY-MM": amount}``; amounts must be exact with at most 2 places."""
    out: dict[date, Decimal] = {}
    for key, value in items.items():
        out[parse_month(key)] = _amount(value, key)
    return out


def _amount(value: Decimal | str | int, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | str | int):
        raise InvalidIncome(f"income for {where} must be a decimal string, Decimal or int")
    try:
        amount = Decimal(value)
    except ArithmeticError as exc:
        raise InvalidIncome(f"income for {where} is not a number: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidIncome(f"income for {where} must be a finite amount ≥ 0, got {value!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidIncome(f"income for {where} has more than two decimal places: {value!r}")
    return amount


def window_sum(incomes: Incomes, months: tuple[date, ...]) -> Decimal:
    """The exact sum of incomes over ``months``; raises ``MissingIncomeMonths`` naming every month absent."""
    for key in incomes:
        if key.day != 1:
            raise InvalidMonth(f"income keys must be the first day of a month, got {key.isoformat()}")
    missing = [m for m in months if m not in incomes]
    if missing:
        raise MissingIncomeMonths(missing)
    total = Decimal(0)
    for m in months:
        total += _amount(incomes[m], format_month(m))
    return total


@dataclass(frozen=True)
class IncomeSummary:
    """Averages over the 2, 6 and 12 months before the application month (LMF Art. 9-2 p.3; NBRK Res. 215).

    ``sum2``, ``sum6``, ``sum12`` are exact; ``avg*`` are rounded half-up to the tiyn for display; ``drop_pct`` is
    ``(1 − avg2/avg12)·100`` to 2 places (``None`` when ``avg12`` is 0).
    """

    application_month: date
    sum2: Decimal
    sum6: Decimal
    sum12: Decimal
    avg2: Decimal
    avg6: Decimal
    avg12: Decimal
    drop_pct: Decimal | None
    drop_test_passed: bool

    @property
    def exact_avg2(self) -> Fraction:
        """Mean of the two months before M, exact."""
        return Fraction(self.sum2) / 2

    @property
    def exact_avg6(self) -> Fraction:
        """Mean of the six months before M, exact."""
        return Fraction(self.sum6) / 6


def summarise(incomes: Incomes, received_on: date, *, drop_threshold_pct: Decimal) -> IncomeSummary:
    """LMF Art. 9-2 p.3; policy p.74: averages and the income-drop test (drop strictly above the threshold)."""
    application_month = month_of(received_on)
    months12 = months_before(application_month, 12)
    sum12 = window_sum(incomes, months12)
    sum6 = window_sum(incomes, months12[-6:])
    sum2 = window_sum(incomes, months12[-2:])
    avg2 = Fraction(sum2) / 2
    avg12 = Fraction(sum12) / 12
    # avg2 < (1 − t/100)·avg12, compared exactly: exactly the threshold does not pass.
    passed = avg2 < (1 - Fraction(drop_threshold_pct) / 100) * avg12
    drop = pct2((1 - avg2 / avg12) * 100) if avg12 else None
    return IncomeSummary(
        application_month=application_month,
        sum2=sum2,
        sum6=sum6,
        sum12=sum12,
        avg2=money(avg2),
        avg6=money(Fraction(sum6) / 6),
        avg12=money(avg12),
        drop_pct=drop,
        drop_test_passed=passed,
    )
