"""GET /api/v1/rulesets: every rule set with its limits (SPEC §3). The business date is 2026-11-25."""

import pytest

from rules.ruleset import all_rulesets

URL = "/api/v1/rulesets"


@pytest.mark.parametrize("role", ["admin", "credit_officer", "rights_officer"])
def test_staff_read_every_rule_set_oldest_first(client, token_for, role):
    response = client.get(URL, headers=token_for(role))
    assert response.status_code == 200
    items = response.json["items"]
    assert [item["id"] for item in items] == [s.id for s in all_rulesets()]
    assert [item["effective_from"] for item in items] == sorted(item["effective_from"] for item in items)
    assert response.json["next_cursor"] is None


def test_the_set_in_force_today_is_flagged(client, officer):
    items = client.get(URL, headers=officer).json["items"]
    assert [item["id"] for item in items if item["in_force"]] == ["KZ-2025-09"]


def test_limits_are_exact_strings_with_sources_and_notes(client, officer):
    current = next(item for item in client.get(URL, headers=officer).json["items"] if item["id"] == "KZ-2025-09")
    assert current["effective_from"] == "2025-09-01"
    assert current["kdn_limit"] == "0.5"
    assert current["dti_target"] == "0.5"
    assert current["gesv_cap_pct"] == "46"
    assert current["income_drop_threshold_pct"] == "30"
    assert current["payment_cut_min_pct"] == "50"
    assert current["mandatory_min_months"] == 3
    assert current["mandatory_request_grounds"] == ["payment_cut", "deferral"]
    assert current["mandatory_fee_free"] is True
    assert current["penalty"]["daily_pct_until_day"] == "0.5"
    assert current["penalty"]["stop_after_days_mortgage"] == 180
    assert current["title"] and current["sources"] and isinstance(current["notes"], list)
    oldest = client.get(URL, headers=officer).json["items"][0]
    assert oldest["payment_cut_min_pct"] is None
    assert oldest["mandatory_request_grounds"] == ["deferral"]


def test_a_borrower_may_not_read_rule_sets(client, token_for, make_borrower):
    headers = token_for("borrower", borrower_id=make_borrower()["id"])
    response = client.get(URL, headers=headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_no_token_is_401(client):
    assert client.get(URL).status_code == 401
