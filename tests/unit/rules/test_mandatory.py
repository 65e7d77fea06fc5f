from datetime import date
from decimal import Decimal

import pytest

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.errors import UnknownVulnerableCategory
from rules.ids import R_CUT_50, R_MANDATORY
from rules.mandatory import GROUND_DEFERRAL, GROUND_EMERGENCY, GROUND_INCOME_DROP, GROUND_PAYMENT_CUT, GROUND_TSA
from rules.vulnerable import VULNERABLE_CATEGORIES
from schedules.terms import PlanParams

from .factories import incomes, loan

AFTER = date(2025, 10, 15)  # KZ-2025-09
BEFORE = date(2025, 8, 31)  # KZ-2024-04
DEFER = PlanParams(deferral_months=3, deferral_of="principal")
CUT = PlanParams(payment_cut_pct=Decimal("50"))
DROPPED = {"older": "100000.00", "recent": "60000.00"}  # 2-month average 60 000 vs 12-month 93 333.33: 35.71% drop
STEADY = {"older": "100000.00", "recent": "100000.00"}


def _assess(received_on: date, borrower: BorrowerFlags, requested: PlanParams | None, income: dict[str, str]):  # type: ignore[no-untyped-def]
    return assess(loan(), borrower, incomes(received_on, **income), received_on, requested)


def test_vulnerable_with_income_drop_and_deferral_request_must_be_agreed() -> None:
    a = _assess(AFTER, BorrowerFlags(vulnerable_categories=("large_family",)), DEFER, DROPPED)
    assert a.income.drop_test_passed
    assert a.mandatory.applies
    assert a.mandatory.grounds == (GROUND_DEFERRAL, "vulnerable:large_family", GROUND_INCOME_DROP)


def test_vulnerable_with_targeted_social_assistance_and_no_drop_must_be_agreed() -> None:
    b = BorrowerFlags(vulnerable_categories=("old_age_pensioner",), targeted_social_assistance=True)
    a = _assess(AFTER, b, DEFER, STEADY)
    assert not a.income.drop_test_passed
    assert a.mandatory.applies
    assert GROUND_TSA in a.mandatory.grounds


def test_vulnerable_without_drop_and_without_targeted_social_assistance_is_not_mandatory() -> None:
    a = _assess(AFTER, BorrowerFlags(vulnerable_categories=("old_age_pensioner",)), DEFER, STEADY)
    assert not a.mandatory.applies
    assert a.mandatory.outcome.text_key == "R-MANDATORY.failed_no_hardship"


def test_emergency_without_vulnerability_or_drop_must_be_agreed() -> None:
    a = _assess(AFTER, BorrowerFlags(emergency_affected=True), DEFER, STEADY)
    assert a.mandatory.applies
    assert a.mandatory.grounds == (GROUND_DEFERRAL, GROUND_EMERGENCY)


def test_drop_without_vulnerability_or_emergency_is_not_mandatory() -> None:
    a = _assess(AFTER, BorrowerFlags(), DEFER, DROPPED)
    assert not a.mandatory.applies
    assert a.mandatory.outcome.text_key == "R-MANDATORY.failed_borrower"


@pytest.mark.parametrize(
    "requested",
    [
        None,
        PlanParams(),
        PlanParams(new_rate_pct=Decimal("20")),
        PlanParams(extra_months=12),
        PlanParams(payment_cut_pct=Decimal("49.99")),
    ],
)
def test_request_without_cut_or_deferral_is_not_mandatory(requested: PlanParams | None) -> None:
    a = _assess(AFTER, BorrowerFlags(emergency_affected=True), requested, STEADY)
    assert not a.mandatory.applies
    assert a.mandatory.outcome.text_key == "R-MANDATORY.failed_request"


def test_cut_of_50_percent_is_a_ground_from_2025_09_01_only() -> None:
    borrower = BorrowerFlags(emergency_affected=True)
    on = _assess(date(2025, 9, 1), borrower, CUT, STEADY)
    day_before = _assess(date(2025, 8, 31), borrower, CUT, STEADY)
    assert on.rule_set.id == "KZ-2025-09" and on.mandatory.applies and GROUND_PAYMENT_CUT in on.mandatory.grounds
    assert day_before.rule_set.id == "KZ-2024-04" and not day_before.mandatory.applies
    # R-CUT-50 exists only in the 2025 set.
    assert R_CUT_50 in [r.rule for r in on.rules]
    assert R_CUT_50 not in [r.rule for r in day_before.rules]
    # A deferral is a ground under both.
    assert _assess(date(2025, 8, 31), borrower, DEFER, STEADY).mandatory.applies


def test_assessment_reports_every_api_field() -> None:
    a = _assess(AFTER, BorrowerFlags(vulnerable_categories=("kandas",)), DEFER, DROPPED)
    assert a.income.avg2 == Decimal("60000.00") and a.income.avg12 == Decimal("93333.33")
    assert a.income.avg6 == Decimal("86666.67") and a.income.drop_pct == Decimal("35.71")
    assert a.kdn is not None and a.dti_recent is not None
    assert a.rule_set.effective_from == date(2025, 9, 1)
    assert [r.rule for r in a.rules][:3] == ["R-INCOME-DROP", "R-KDN", R_MANDATORY]
    for r in a.rules:
        assert r.citation.rule == r.rule and r.citation.source and r.text_key.startswith(r.rule)


def test_vulnerable_codes_are_the_spec_list_and_unknown_codes_are_rejected() -> None:
    assert len(VULNERABLE_CATEGORIES) == 14 and VULNERABLE_CATEGORIES[0] == "wwii_veteran"
    with pytest.raises(UnknownVulnerableCategory) as err:
        BorrowerFlags(vulnerable_categories=("large_family", "pensioner"))
    assert err.value.codes == ("pensioner",)
