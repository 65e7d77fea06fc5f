from dataclasses import replace
from decimal import Decimal

from restructure.documents import plan_document
from tests.unit.schedules.loans import plan


def test_plan_document_prints_money_with_two_places_and_a_zero_rate_as_zero():
    # the 1 200.00 KZT, 12 %, two-instalment loan: level payment 609.01 (tests/unit/schedules/loans.py)
    result = plan()
    document = plan_document(replace(result, metrics=replace(result.metrics, gesv_pct=Decimal("-0.0"))))
    assert document["metrics"]["gesv_pct"] == "0.0"
    assert document["schedule"][0]["payment"] == "609.01"
    assert document["totals"]["principal"] == "1200.00"
