from datetime import date
from decimal import Decimal

import pytest

from restructure.errors import InvalidInput
from restructure.snapshots import incomes_mapping


def test_incomes_become_exact_amounts_by_month():
    assert incomes_mapping([{"month": "2026-09", "amount": "250000.00"}]) == {date(2026, 9, 1): Decimal("250000.00")}


def test_an_impossible_month_is_named_by_its_position():
    with pytest.raises(InvalidInput) as raised:
        incomes_mapping([{"month": "2026-09", "amount": "1.00"}, {"month": "0000-01", "amount": "1.00"}])
    assert list(raised.value.errors) == ["incomes.1.month"]


def test_a_month_given_twice_is_named_never_overwritten():
    with pytest.raises(InvalidInput) as raised:
        incomes_mapping([{"month": "2026-09", "amount": "1.00"}, {"month": "2026-09", "amount": "2.00"}])
    assert list(raised.value.errors) == ["incomes.1.month"]
