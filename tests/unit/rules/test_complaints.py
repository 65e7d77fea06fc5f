"""The complaint rules (rules/complaints.py): periods and limits from the versioned block, each with its clause."""

import json
from datetime import date
from importlib import resources

import pytest

from rules import complaints as rules
from rules.errors import NoRuleSetInForce

R = rules.complaint_rules_for(date(2026, 11, 20))


def test_the_rules_in_force_carry_the_acf_periods_and_cite_them():
    assert (R.answer_days, R.outside_information_days, R.extension_max_days, R.extension_notice_days) == (15, 30, 30, 3)
    assert (R.extensions_allowed, R.forwarding_days, R.systemic_threshold) == (1, 1, 3)
    assert "ACF 6.1" in R.cite("answer_days") and "p.57" in R.cite("answer_days")
    assert "ACF 3.4" in R.cite("forwarding_days")
    assert "ACF 1.1.4" in R.cite("refusal_reasons") and "p.54" in R.cite("refusal_reasons")


def test_every_value_of_every_version_has_a_citation():
    raw = json.loads(resources.files("rules").joinpath("rulesets.json").read_text(encoding="utf-8"))
    for version in raw["complaints"]["sets"]:
        for name, item in version.items():
            if isinstance(item, dict):
                assert item["citation"].strip(), name


def test_before_the_first_version_no_rules_are_in_force():
    with pytest.raises(NoRuleSetInForce):
        rules.complaint_rules_for(date(2019, 12, 31))


@pytest.mark.parametrize(
    ("outside", "extension", "due"),
    [
        (False, 0, date(2026, 12, 5)),
        (True, 0, date(2026, 12, 20)),
        (False, 30, date(2027, 1, 4)),
        (True, 30, date(2027, 1, 19)),
    ],
)
def test_the_answer_is_due_fifteen_or_thirty_days_after_receipt_plus_the_extension(outside, extension, due):
    # 20.11 + 15 = 05.12; + 30 = 20.12; 05.12 + 30 = 04.01; 20.12 + 30 = 19.01
    assert rules.answer_due_on(R, date(2026, 11, 20), outside_information=outside, extension_days=extension) == due


def test_outside_information_is_chosen_until_day_fifteen():
    assert rules.outside_information_until(R, date(2026, 11, 20)) == date(2026, 12, 5)


@pytest.mark.parametrize(
    ("forwarded", "late"),
    [(None, False), (date(2026, 11, 20), False), (date(2026, 11, 21), False), (date(2026, 11, 22), True)],
)
def test_forwarding_after_one_day_is_late(forwarded, late):
    assert rules.forwarding_late(R, date(2026, 11, 20), forwarded) is late


@pytest.mark.parametrize(
    ("days", "before", "error"),
    [
        (1, 0, None),
        (30, 0, None),
        (31, 0, "extension_max_days"),
        (0, 0, "extension_max_days"),
        (5, 1, "extensions_allowed"),
    ],
)
def test_one_extension_of_at_most_thirty_days(days, before, error):
    assert rules.extension_error(R, days, before) == error


@pytest.mark.parametrize(
    ("sent", "today", "late"),
    [
        (date(2026, 11, 23), date(2026, 12, 1), False),
        (date(2026, 11, 24), date(2026, 12, 1), True),
        (None, date(2026, 11, 23), False),
        (None, date(2026, 11, 24), True),
    ],
)
def test_the_extension_notice_is_due_within_three_days_of_the_decision(sent, today, late):
    assert rules.extension_notice_late(R, date(2026, 11, 20), sent, today) is late


@pytest.mark.parametrize(
    ("reason", "anonymous", "crime", "error"),
    [
        ("anonymous", True, False, None),
        ("anonymous", False, False, "not_anonymous"),
        ("anonymous", True, True, "reports_crime"),
        ("unreadable", False, False, None),
        ("rude", False, False, "unknown_reason"),
    ],
)
def test_refusal_reasons_and_the_anonymous_crime_exception(reason, anonymous, crime, error):
    assert rules.refusal_error(R, reason, anonymous=anonymous, reports_crime=crime) == error


def test_only_an_anonymous_crime_report_is_forwarded_to_the_authorities():
    assert rules.forwarded_to_authorities(anonymous=True, reports_crime=True)
    assert not rules.forwarded_to_authorities(anonymous=False, reports_crime=True)


def test_a_category_seen_three_times_is_systemic():
    cats = ["fees", "fees", "fees", "staff", "staff", None, None, None]
    assert rules.systemic_categories(R, cats) == ["fees"]


def test_an_answer_on_its_due_day_is_timely_and_a_day_later_is_not():
    assert rules.answered_in_time(date(2026, 12, 5), date(2026, 12, 5))
    assert not rules.answered_in_time(date(2026, 12, 5), date(2026, 12, 6))
