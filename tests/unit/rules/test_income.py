from datetime import date
from decimal import Decimal

import pytest

from rules.errors import InvalidIncome, InvalidMonth, MissingIncomeMonths
from rules.income import months_before, parse_incomes, parse_month
from rules.income_drop import income_drop
from rules.ruleset import ruleset_for

from .factories import incomes

RECEIVED = date(2025, 10, 15)
RS = ruleset_for(RECEIVED)


def _twelve(avg2: str, avg12: str) -> dict[date, Decimal]:
    """Incomes whose 2-month mean is ``avg2`` and 12-month mean is ``avg12`` (10 older months make up the rest)."""
    rest = Decimal(avg12) * 12 - Decimal(avg2) * 2
    older = (rest / 10).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    data = incomes(RECEIVED, older=str(older), recent=avg2)
    oldest = min(data)
    data[oldest] += rest - older * 10  # the oldest month takes the remainder, so the 12-month sum is exact
    return data


def test_drop_of_exactly_30_percent_does_not_pass() -> None:
    # avg12 = 100 000, avg2 = 70 000: avg2 < 0.70 × avg12 is false.
    out = income_drop(_twelve("70000.00", "100000.00"), RECEIVED, RS)
    assert out.passed is False
    assert out.figures["drop_pct"] == Decimal("30.00")


def test_drop_of_30_01_percent_passes() -> None:
    # avg2 = 69 990 is 30.01% below 100 000.
    out = income_drop(_twelve("69990.00", "100000.00"), RECEIVED, RS)
    assert out.passed is True
    assert out.figures["drop_pct"] == Decimal("30.01")


def test_drop_one_tiyn_past_30_percent_passes_although_it_rounds_to_30_00() -> None:
    out = income_drop(_twelve("69999.99", "100000.00"), RECEIVED, RS)
    assert out.passed is True
    assert out.figures["drop_pct"] == Decimal("30.00")


def test_windows_are_the_months_before_the_application_month() -> None:
    assert months_before(date(2025, 2, 1), 3) == (date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1))
    # An income in the application month itself is not used.
    data = incomes(RECEIVED)
    data[date(2025, 10, 1)] = Decimal("0.00")
    assert income_drop(data, RECEIVED, RS).passed is False


def test_missing_months_are_named_in_the_error() -> None:
    data = incomes(RECEIVED)
    del data[date(2025, 3, 1)]
    del data[date(2024, 12, 1)]
    with pytest.raises(MissingIncomeMonths) as err:
        income_drop(data, RECEIVED, RS)
    assert err.value.months == ("2024-12", "2025-03")
    assert "2024-12" in str(err.value) and "2025-03" in str(err.value)


def test_a_zero_income_month_is_a_value_not_a_gap() -> None:
    data = incomes(RECEIVED, recent="0.00")
    out = income_drop(data, RECEIVED, RS)
    assert out.passed is True
    assert out.figures["drop_pct"] == Decimal("100.00")


def test_parse_month_and_incomes() -> None:
    assert parse_month("2026-09") == date(2026, 9, 1)
    assert parse_incomes({"2026-09": "250000.00"}) == {date(2026, 9, 1): Decimal("250000.00")}
    for bad in ("2026-9", "2026-13", "09-2026", "2026-09-01"):
        with pytest.raises(InvalidMonth):
            parse_month(bad)
    with pytest.raises(InvalidIncome):
        parse_incomes({"2026-09": "1000.005"})
    with pytest.raises(InvalidIncome):
        parse_incomes({"2026-09": "-1.00"})
