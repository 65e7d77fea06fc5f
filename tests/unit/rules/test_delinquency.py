"""LMF Art. 9-2 p.1-2: the notice within 10 days of the delinquency, the application window of 30."""

from datetime import date

import pytest

from rules.delinquency import clock, in_statutory_window, notice_late, notice_status
from rules.ruleset import all_rulesets

SINCE = date(2026, 10, 10)


def test_the_notice_is_due_ten_days_and_the_window_ends_thirty_days_after_the_delinquency():
    c = clock(SINCE)
    assert (c.notice_due_on, c.window_until) == (date(2026, 10, 20), date(2026, 11, 9))
    assert c.ruleset_id == "KZ-2025-09"


@pytest.mark.parametrize(
    ("today", "sent_on", "status"),
    [
        (date(2026, 10, 20), None, "due"),  # the last day
        (date(2026, 10, 21), None, "late"),
        (date(2026, 10, 25), date(2026, 10, 21), "sent"),
    ],
)
def test_notice_status_around_its_due_day(today, sent_on, status):
    assert notice_status(clock(SINCE), sent_on, today) == status


def test_a_notice_sent_after_day_ten_is_late():
    assert notice_late(clock(SINCE), date(2026, 10, 20)) is False
    assert notice_late(clock(SINCE), date(2026, 10, 21)) is True


def test_an_application_on_day_thirty_is_in_the_window_and_on_day_thirty_one_is_not():
    assert in_statutory_window(SINCE, date(2026, 11, 9)) is True
    assert in_statutory_window(SINCE, date(2026, 11, 10)) is False
    assert in_statutory_window(None, date(2026, 11, 10)) is None


def test_every_rule_set_has_cited_delinquency_periods():
    for ruleset in all_rulesets():
        assert ruleset.delinquency is not None
        assert (ruleset.delinquency.notice_days, ruleset.delinquency.window_days) == (10, 30)
        assert any("9-2 p.1" in s for s in ruleset.delinquency.sources)
        assert any("9-2 p.2" in s for s in ruleset.delinquency.sources)
