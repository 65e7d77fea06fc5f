"""The page forms' shared checks (``api.web.choice``, ``api.web.quarter_asked``): a value the page's own buttons
never send is a 400 that changes nothing, a quarter out of range is a 404, and the known values go through."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TODAY

URL = "/api/v1/applications"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _status(client, headers, application_id: int) -> str:
    return client.get(f"{URL}/{application_id}", headers=headers).json["status"]


@pytest.fixture
def proposed(client, officer, make_application):
    """An application with a counter-offer proposed, awaiting the rights officer."""
    application = make_application()
    body = {"outcome": "counter_offer", "plan": {"extra_months": 6}}
    assert client.post(f"{URL}/{application['id']}/decision", json=body, headers=officer).status_code == 200
    return application


def test_a_concurrence_with_an_unknown_verdict_is_400_and_changes_nothing(client, token_for, page_sign_in, proposed):
    rights = token_for("rights_officer")
    page_sign_in(rights)
    page = f"/console/applications/{proposed['id']}"
    csrf = _csrf(client.get(page).text)
    assert client.post(f"{page}/approval", data={"csrf_token": csrf, "verdict": "maybe"}).status_code == 400
    assert client.post(f"{page}/approval", data={"csrf_token": csrf}).status_code == 400
    assert _status(client, rights, proposed["id"]) == "decision_proposed"
    assert client.post(f"{page}/approval", data={"csrf_token": csrf, "verdict": "approve"}).status_code == 302
    assert _status(client, rights, proposed["id"]) == "awaiting_borrower"


def test_an_answer_to_a_counter_offer_that_is_neither_accept_nor_decline_is_400_and_changes_nothing(
    client, token_for, page_sign_in, proposed
):
    rights = token_for("rights_officer")
    body = {"verdict": "approve", "comment": ""}
    assert client.post(f"{URL}/{proposed['id']}/approval", json=body, headers=rights).status_code == 200
    me = token_for("borrower", proposed["borrower_id"])
    page_sign_in(me)
    page = f"/cabinet/applications/{proposed['id']}"
    csrf = _csrf(client.get(page).text)
    assert client.post(f"{page}/response", data={"csrf_token": csrf, "answer": "yes"}).status_code == 400
    assert _status(client, me, proposed["id"]) == "awaiting_borrower"
    assert client.post(f"{page}/response", data={"csrf_token": csrf, "answer": "decline"}).status_code == 302
    assert _status(client, me, proposed["id"]) != "awaiting_borrower"


@pytest.mark.parametrize("page", ["/console/report", "/console/complaints/report"])
@pytest.mark.parametrize("query", ["quarter=5", "quarter=-1", "year=1999&quarter=1", "year=2101&quarter=1"])
def test_a_report_quarter_out_of_range_is_404(client, token_for, page_sign_in, page, query):
    page_sign_in(token_for("rights_officer"))
    assert client.get(f"{page}?{query}").status_code == 404


@pytest.mark.parametrize("page", ["/console/report", "/console/complaints/report"])
def test_a_report_shows_the_quarter_asked_and_todays_by_default(client, token_for, page_sign_in, page):
    page_sign_in(token_for("rights_officer"))
    asked = client.get(f"{page}?year=2025&quarter=2")
    assert asked.status_code == 200 and "</h1>" in asked.text
    assert asked.text.split("</h1>")[0].endswith(": 2025 Q2")
    default = client.get(page)
    assert default.text.split("</h1>")[0].endswith(f": {TODAY.year} Q{(TODAY.month - 1) // 3 + 1}")
