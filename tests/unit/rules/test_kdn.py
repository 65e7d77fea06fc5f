from datetime import date
from decimal import Decimal

from rules.income import summarise
from rules.kdn import kdn
from rules.ruleset import ruleset_for

from .factories import incomes

RECEIVED = date(2025, 10, 15)
RS = ruleset_for(RECEIVED)
# Every month 100 000.00: avg6 = avg2 = 100 000.00, so the limit 0.5 allows 50 000.00 of payments.
FLAT = summarise(incomes(RECEIVED), RECEIVED, drop_threshold_pct=RS.income_drop_threshold_pct)


def test_kdn_exactly_at_the_limit_passes() -> None:
    out = kdn(Decimal("30000.00"), Decimal("20000.00"), FLAT, RS)
    assert out.passed is True
    assert out.figures["kdn"] == Decimal("0.5000")


def test_kdn_one_tiyn_over_the_limit_fails_although_it_shows_0_5000() -> None:
    out = kdn(Decimal("30000.01"), Decimal("20000.00"), FLAT, RS)
    assert out.passed is False
    assert out.figures["kdn"] == Decimal("0.5000")


def test_kdn_uses_six_months_and_dti_recent_two_months() -> None:
    # 4 months at 120 000 then 2 at 60 000: avg6 = 100 000, avg2 = 60 000; payments 30 000 → kdn 0.3, dti 0.5.
    data = incomes(RECEIVED, older="120000.00", recent="60000.00")
    s = summarise(data, RECEIVED, drop_threshold_pct=Decimal("30"))
    assert (s.avg6, s.avg2) == (Decimal("100000.00"), Decimal("60000.00"))
    out = kdn(Decimal("25000.00"), Decimal("5000.00"), s, RS)
    assert out.figures["kdn"] == Decimal("0.3000")
    assert out.figures["dti_recent"] == Decimal("0.5000")


def test_ratios_round_half_up_to_four_places() -> None:
    # 1/3 → 0.3333; 2/3 → 0.6667.
    s = summarise(incomes(RECEIVED, older="90000.00", recent="90000.00"), RECEIVED, drop_threshold_pct=Decimal("30"))
    assert kdn(Decimal("30000.00"), Decimal("0.00"), s, RS).figures["kdn"] == Decimal("0.3333")
    assert kdn(Decimal("60000.00"), Decimal("0.00"), s, RS).figures["kdn"] == Decimal("0.6667")


def test_no_income_fails_and_says_so() -> None:
    s = summarise(incomes(RECEIVED, older="0.00", recent="0.00"), RECEIVED, drop_threshold_pct=Decimal("30"))
    out = kdn(Decimal("1.00"), Decimal("0.00"), s, RS)
    assert out.passed is False and out.figures["kdn"] is None and out.text_key == "R-KDN.no_income"
