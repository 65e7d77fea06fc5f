"""SPEC §8 "Conscripts" (LMF Art. 7 p.2 sub 11-2) on applications, through the API.

The loan is conftest's: 450 000.00 outstanding, 20 000.00 overdue principal, 15 000.00 overdue interest, 1 500.00
penalties, as of 2026-11-20, payment day 10, next payment 2026-12-10; the business date is 2026-11-25. A service that
ends on 2027-11-10 gives a deferral to 2027-11-10 + 60 days = 2028-01-09: every due date from 2026-12-10 to the first
one on or after 2028-01-09, 2028-01-10, is deferred: 14 due dates, with no interest accrued in them.
"""

from datetime import date

import pytest

from tests.api.test_applications import DEFERRAL, URL, approve, at, propose
from tests.api.test_hard_cases_workflow import put_snapshot
from tests.api.test_notices import page_text
from tests.conftest import TODAY, application_payload

SERVICE_UNTIL = "2027-11-10"
CONSCRIPT = {"reasons": ["military_service"], "military_service_until": SERVICE_UNTIL, "requested": DEFERRAL}


@pytest.fixture
def rights(token_for):
    return token_for("rights_officer")


def register(client, officer, loan_id, **overrides):
    """An officer registers a conscript's application; an override of None leaves the field out."""
    payload = application_payload(loan_id, channel="office", received_on=TODAY.isoformat()) | CONSCRIPT | overrides
    return client.post(URL, json={k: v for k, v in payload.items() if v is not None}, headers=officer)


def test_a_conscript_application_keeps_the_service_end_and_is_mandatory(client, officer, make_loan):
    created = register(client, officer, make_loan()["id"])
    assert created.status_code == 201, created.json
    assert created.json["military_service_until"] == SERVICE_UNTIL
    assert created.json["mandatory"] is True
    assessment = created.json["assessment"]
    assert "military_service" in assessment["mandatory"]["grounds"]
    service = next(r for r in assessment["rules"] if r["rule"] == "R-MILITARY-SERVICE")
    assert (service["figures"]["deferral_until"], service["figures"]["deferral_months"]) == ("2028-01-09", 14)
    shown = client.get(f"{URL}/{created.json['id']}", headers=officer).json
    assert shown["military_service_until"] == SERVICE_UNTIL
    ordinary = register(client, officer, make_loan()["id"], reasons=["income_loss"], military_service_until=None)
    assert ordinary.status_code == 201, ordinary.json
    assert ordinary.json["military_service_until"] is None


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"military_service_until": None}, "Required with reason military_service"),
        ({"reasons": ["income_loss"]}, "Only with reason military_service"),
        ({"reasons": ["income_loss", "military_service"], "military_service_until": TODAY.isoformat()}, "after"),
        ({"military_service_until": "2026-11-24"}, "after"),
        ({"military_service_until": "9999-12-01"}, "Out of range"),
    ],
)
def test_the_service_end_comes_with_its_reason_only_and_after_receipt(client, officer, make_loan, overrides, why):
    response = register(client, officer, make_loan()["id"], **overrides)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["military_service_until"]
    assert why in response.json["errors"]["military_service_until"][0]
    assert client.get(URL, headers=officer).json["items"] == []


def test_the_day_after_receipt_is_a_service_end(client, officer, make_loan):
    assert register(client, officer, make_loan()["id"], military_service_until="2026-11-26").status_code == 201


def test_accept_agrees_the_interest_free_deferral_to_the_service_end_plus_60_days(
    client, officer, rights, make_loan
):
    application = register(client, officer, make_loan()["id"]).json
    proposed = propose(client, officer, application["id"], outcome="accept")
    assert proposed.status_code == 200, proposed.json
    agreed = approve(client, rights, application["id"])
    assert agreed.status_code == 200, agreed.json
    assert agreed.json["status"] == "agreed"
    plan = agreed.json["decision"]["plan"]
    assert plan["params"]["deferral_of"] == "interest_free" and plan["params"]["deferral_months"] == 14
    assert plan["feasible"] is True
    deferred, rest = plan["schedule"][:14], plan["schedule"][14:]
    assert [line["due_on"] for line in deferred][::13] == ["2026-12-10", "2028-01-10"]
    assert all(line["payment"] == "0.00" and line["interest"] == "0.00" for line in deferred)
    # nothing accrued in the deferral: the balance after it is what it was before
    assert deferred[-1]["balance"] == deferred[0]["balance"]
    assert rest[0]["due_on"] == "2028-02-10" and rest[0]["payment"] != "0.00"
    assert plan["violations"] == []


def test_the_agreement_notice_says_why(client, officer, rights, make_loan):
    application = register(client, officer, make_loan()["id"]).json
    propose(client, officer, application["id"], outcome="accept")
    approve(client, rights, application["id"])
    text = page_text(client.get(f"{URL}/{application['id']}/notice", headers=officer))
    assert "призван на воинскую службу до 2027-11-10" in text
    assert "отсрочка до 2028-01-09" in text
    assert "без начисления вознаграждения" in text


def test_a_conscript_cannot_be_refused_or_counter_offered(client, officer, make_loan):
    application = register(client, officer, make_loan()["id"]).json
    refusal = propose(client, officer, application["id"], outcome="refuse", reasons=["other"], comment="Нет.")
    assert refusal.status_code == 422
    assert (refusal.json["code"], refusal.json["rule"]) == ("rule_violation", "R-MILITARY-SERVICE")
    more = {"deferral_months": 20, "deferral_of": "interest_free"}
    offer = propose(client, officer, application["id"], outcome="counter_offer", plan=more)
    assert offer.status_code == 422
    assert offer.json["rule"] == "R-MILITARY-SERVICE"
    assert client.get(f"{URL}/{application['id']}", headers=officer).json["status"] == "received"


def test_a_later_agreement_defers_from_its_own_first_due_date_to_the_same_end(client, app, officer, rights, make_loan):
    application = register(client, officer, make_loan()["id"]).json
    assert propose(client, officer, application["id"], outcome="accept").json["decision"]["plan"]["params"][
        "deferral_months"
    ] == 14
    at(app, date(2026, 12, 15))  # the 12-10 payment has passed: the core system sends the snapshot of 12-10
    assert put_snapshot(client, officer, application["loan_id"]).status_code == 200
    agreed = approve(client, rights, application["id"])
    assert agreed.status_code == 200, agreed.json
    plan = agreed.json["decision"]["plan"]
    # from 12-15 the first due date is 2027-01-10: 13 due dates to 2028-01-10, the first on or after 2028-01-09
    assert plan["params"]["deferral_months"] == 13
    assert [plan["schedule"][0]["due_on"], plan["schedule"][12]["due_on"]] == ["2027-01-10", "2028-01-10"]
    assert all(line["interest"] == "0.00" for line in plan["schedule"][:13])
    assert plan["schedule"][13]["payment"] != "0.00"


@pytest.mark.parametrize(
    ("until", "received", "accepted"),
    [("0001-01-01", 422, None), ("2076-09-01", 201, 422), ("2077-06-01", 422, None), ("9999-12-31", 422, None)],
)
def test_service_ends_at_the_edges_of_the_calendar_are_answered_not_500(
    client, officer, make_loan, until, received, accepted
):
    """2077-06-01 + 60 days is more than the engine's 600 deferred months away: a 422 on receipt; 2076-09-01 is
    within them, but its 600+ months and the remaining 18 exceed the longest schedule: the accept is a 422."""
    created = register(client, officer, make_loan()["id"], military_service_until=until)
    assert created.status_code == received, created.json
    if received == 422:
        assert list(created.json["errors"]) == ["military_service_until"]
    else:
        proposed = propose(client, officer, created.json["id"], outcome="accept")
        assert proposed.status_code == accepted, proposed.json
