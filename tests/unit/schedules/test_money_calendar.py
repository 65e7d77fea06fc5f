from datetime import date
from decimal import Decimal

import pytest

from schedules.calendar import days_30e, due_dates, period_days
from schedules.money import from_tiyn, half_up_div, round_money, to_tiyn


def test_round_money_is_half_up_to_the_tiyn() -> None:
    assert round_money(Decimal("1.005")) == Decimal("1.01")
    assert round_money(Decimal("1.0049")) == Decimal("1.00")
    assert round_money(Decimal("-1.005")) == Decimal("-1.01")


def test_tiyn_round_trip_keeps_two_places() -> None:
    assert to_tiyn(Decimal("1500000.00")) == 150_000_000
    assert str(from_tiyn(150)) == "1.50"
    assert str(from_tiyn(0)) == "0.00"
    assert str(from_tiyn(100)) == "1.00"


def test_to_tiyn_refuses_fractions_of_a_tiyn() -> None:
    with pytest.raises(ValueError, match="tiyn"):
        to_tiyn(Decimal("1.005"))


def test_half_up_div_rounds_ties_away_from_zero() -> None:
    assert half_up_div(5, 10) == 1
    assert half_up_div(4, 10) == 0
    assert half_up_div(-5, 10) == -1
    assert half_up_div(15, 10) == 2


def test_due_dates_use_the_last_day_of_short_months() -> None:
    # payment day 31 from 2024-01-31: Feb 2024 has 29 days, April 30; never drifts to the 29th.
    assert due_dates(date(2024, 1, 31), 31, 4) == [
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]
    assert due_dates(date(2023, 1, 31), 31, 1) == [date(2023, 2, 28)]


def test_first_due_date_is_strictly_after_start() -> None:
    assert due_dates(date(2024, 1, 15), 15, 1) == [date(2024, 2, 15)]
    assert due_dates(date(2024, 1, 14), 15, 1) == [date(2024, 1, 15)]
    assert due_dates(date(2024, 12, 20), 5, 2) == [date(2025, 1, 5), date(2025, 2, 5)]


def test_30e_whole_months_are_30_days_even_through_february() -> None:
    # payment day 31: Jan 31 → Feb 29 → Mar 31 are whole months of 30 days each (interest exactly r/12).
    assert days_30e(date(2024, 1, 31), date(2024, 2, 29), 31) == 30
    assert days_30e(date(2024, 2, 29), date(2024, 3, 31), 31) == 30
    assert days_30e(date(2023, 1, 30), date(2023, 2, 28), 30) == 30
    assert period_days(date(2024, 1, 31), due_dates(date(2024, 1, 31), 31, 3), 31, "30E/360") == [30, 30, 30]


def test_30e_broken_first_period_counts_from_start_on() -> None:
    # Jan 15 → Feb 1: 30·1 + 1 − 15 = 16 days.
    assert days_30e(date(2024, 1, 15), date(2024, 2, 1), 1) == 16
    # Feb 10 → Feb 29 (payment day 31, counted as day 30): 30 − 10 = 20 days; actual days: 19.
    assert days_30e(date(2024, 2, 10), date(2024, 2, 29), 31) == 20
    assert period_days(date(2024, 2, 10), [date(2024, 2, 29)], 31, "actual/365") == [19]
    # The 31st counts as the 30th: Jan 30 → Jan 31 is 0 days.
    assert days_30e(date(2024, 1, 30), date(2024, 1, 31), 31) == 0


def test_actual_365_counts_calendar_days() -> None:
    dues = due_dates(date(2023, 1, 1), 1, 3)
    assert period_days(date(2023, 1, 1), dues, 1, "actual/365") == [31, 28, 31]
