from datetime import date

import pytest

from restructure.errors import Conflict, InvalidInput
from restructure.workflow import (
    ALLOWED,
    FINAL,
    STATUSES,
    days_left,
    decision_due_on,
    ensure_allowed,
    lapse_day,
    ombudsman_until,
    overdue,
    periods,
    response_due_on,
)

RULES = periods(date(2026, 1, 1))  # KZ-2025-09: 15/30/15 days


def test_a_fifteen_day_period_counts_from_the_day_after_receipt():
    # received on 1 March: day 1 is 2 March, day 15 is 16 March
    assert decision_due_on(date(2026, 3, 1), RULES) == date(2026, 3, 16)


def test_periods_cross_month_and_year_ends():
    assert decision_due_on(date(2026, 12, 20), RULES) == date(2027, 1, 4)
    assert response_due_on(date(2026, 2, 10), RULES) == date(2026, 3, 12)
    assert ombudsman_until(date(2028, 2, 20), RULES) == date(2028, 3, 6)  # 2028 is a leap year


def test_a_counter_offer_lapses_the_day_after_its_period():
    assert lapse_day(date(2026, 4, 30)) == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("today", "left", "is_overdue"),
    [(date(2026, 3, 15), 1, False), (date(2026, 3, 16), 0, False), (date(2026, 3, 17), -1, True)],
)
def test_overdue_starts_the_day_after_the_due_date(today, left, is_overdue):
    due = date(2026, 3, 16)
    assert days_left("under_review", due, today) == left
    assert overdue("under_review", due, today) is is_overdue


def test_the_clock_stops_while_documents_are_awaited():
    assert days_left("awaiting_documents", date(2026, 3, 16), date(2026, 4, 1)) is None
    assert overdue("awaiting_documents", date(2026, 3, 16), date(2026, 4, 1)) is False


def test_a_decided_application_is_never_overdue():
    for status in ("awaiting_borrower", *FINAL):
        assert overdue(status, date(2026, 3, 16), date(2027, 1, 1)) is False


def test_nothing_leaves_a_final_state():
    for action, allowed in ALLOWED.items():
        assert not (allowed & FINAL), action


@pytest.mark.parametrize("status", STATUSES)
def test_a_forbidden_transition_names_the_current_state(status):
    if status in ALLOWED["approve"]:
        ensure_allowed("approve", status)
        return
    with pytest.raises(Conflict) as raised:
        ensure_allowed("approve", status)
    assert raised.value.state == status
    assert f"'{status}'" in raised.value.detail


def test_the_periods_come_from_the_rule_set_in_force_on_receipt_with_their_clauses():
    first = periods(date(2021, 10, 1))
    assert (first.ruleset_id, first.decision_days, first.response_days, first.ombudsman_days) == (
        "KZ-2021-10", 15, 30, 15,
    )
    assert first.mandatory_min_months == 3
    assert "LMF Art. 9-2 p.3" in first.citation("response_days")
    assert "LMF Art. 9-2 p.4" in first.citation("ombudsman_days")
    assert periods(date(2025, 9, 1)).ruleset_id == "KZ-2025-09"
    assert periods(date(2025, 8, 31)).ruleset_id == "KZ-2024-04"


def test_a_receipt_before_the_first_rule_set_is_invalid_input_naming_received_on():
    with pytest.raises(InvalidInput) as raised:
        periods(date(2021, 9, 30))
    assert list(raised.value.errors) == ["received_on"]


def test_a_period_without_its_citation_or_a_second_minimum_is_refused():
    from rules.errors import RulesError
    from rules.ruleset import _periods

    raw = {
        "id": "X",
        "mandatory_min_months": 3,
        "periods": {
            "decision_days": 15, "response_days": 30, "ombudsman_days": 15, "mandatory_min_months": 3,
            "citations": {
                "decision_days": "a", "response_days": "b", "ombudsman_days": "c", "mandatory_min_months": "d",
            },
        },
    }
    assert _periods(raw).response_days == 30
    with pytest.raises(RulesError, match="citation"):
        _periods(raw | {"periods": raw["periods"] | {"citations": {"decision_days": "a"}}})
    with pytest.raises(RulesError, match="differs"):
        _periods(raw | {"mandatory_min_months": 6})
    with pytest.raises(RulesError, match="positive integer"):
        _periods(raw | {"periods": raw["periods"] | {"response_days": "30"}})
