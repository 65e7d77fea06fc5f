from dataclasses import replace
from datetime import date
from decimal import Decimal

from restructure.documents import plan_document
from schedules.plan import build_plan
from schedules.terms import LoanSnapshot, PlanParams

LOAN = LoanSnapshot(
    principal=Decimal("120000.00"),
    annual_rate_pct=Decimal("0"),
    term_months=12,
    method="annuity",
    day_count="30E/360",
    payment_day=10,
    issued_on=date(2026, 1, 10),
    as_of=date(2026, 1, 10),
    outstanding_principal=Decimal("120000.00"),
    overdue_principal=Decimal("0"),
    overdue_interest=Decimal("0"),
    penalties=Decimal("0"),
    remaining_term_months=12,
    scheduled_payment=Decimal("10000.00"),
    next_payment_on=date(2026, 2, 10),
)


def test_plan_document_prints_money_with_two_places_and_a_zero_rate_as_zero():
    plan = build_plan(
        LOAN, PlanParams(), start_on=date(2026, 1, 10), max_term_months=84, discount_rate_pct=Decimal("16.5")
    )
    document = plan_document(replace(plan, metrics=replace(plan.metrics, gesv_pct=Decimal("-0.0"))))
    assert document["metrics"]["gesv_pct"] == "0.0"
    assert document["schedule"][0]["payment"] == "10000.00"
    assert document["totals"]["payment"] == "120000.00"
