from datetime import date, timedelta
from decimal import Decimal

import pytest

from rules.errors import NoRuleSetInForce
from rules.ruleset import all_rulesets, ruleset_by_id, ruleset_for

CUT_SET_DAY = date(2025, 9, 1)


def test_the_day_before_2025_09_01_uses_the_earlier_set_without_the_cut() -> None:
    rs = ruleset_for(CUT_SET_DAY - timedelta(days=1))
    assert rs.effective_from < CUT_SET_DAY
    assert rs.payment_cut_min_pct is None
    assert rs.mandatory_request_grounds == ("deferral",)
    assert rs.mandatory_fee_free is False


def test_on_2025_09_01_the_cut_and_fee_free_deferral_apply() -> None:
    rs = ruleset_for(CUT_SET_DAY)
    assert rs.id == "KZ-2025-09"
    assert rs.payment_cut_min_pct == Decimal("50")
    assert rs.mandatory_request_grounds == ("payment_cut", "deferral")
    assert rs.mandatory_fee_free is True
    assert rs.gesv_cap_pct == Decimal("46")


def test_sets_are_listed_oldest_first_from_2021_10_01() -> None:
    sets = all_rulesets()
    assert [s.id for s in sets] == ["KZ-2021-10", "KZ-2024-04", "KZ-2025-09"]
    assert sets[0].effective_from == date(2021, 10, 1)
    assert ruleset_by_id("KZ-2024-04").kdn_scope == "all_loans"
    for s in sets:
        assert s.kdn_limit == Decimal("0.5") and s.dti_target == Decimal("0.5") and s.mandatory_min_months == 3


def test_no_set_before_2021_10_01() -> None:
    with pytest.raises(NoRuleSetInForce):
        ruleset_for(date(2021, 9, 30))
