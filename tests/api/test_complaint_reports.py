"""The quarterly complaint analysis (SPEC §9): figures with their ids, systemic categories, JSON and CSV."""

import csv
import io

import pytest

from tests.api.test_complaints import answered, post, register

URL = "/api/v1/reports/complaints?year=2026&quarter=4"


@pytest.fixture
def staff(token_for):
    return {role: token_for(role) for role in ("credit_officer", "rights_officer", "lawyer", "director", "admin")}


def test_the_quarter_counts_by_channel_kind_category_outcome_with_ids(client, app, staff, make_application):
    a = answered(client, staff, category="penalty_calculation")  # partly upheld, timely
    b = register(client, staff["credit_officer"], category="penalty_calculation", channel="email")
    c = register(client, staff["credit_officer"], category="penalty_calculation", received_on="2026-10-01")  # overdue
    d = register(client, staff["credit_officer"], category="staff_conduct", kind="appeal", applicant=None)
    post(client, d["id"], "refusal", staff["rights_officer"], reason="anonymous", comment="Аноним")
    e = register(client, staff["credit_officer"], received_on="2026-09-30")  # Q3: outside
    application = make_application()
    f = register(
        client,
        staff["credit_officer"],
        borrower_id=application["borrower_id"],
        applicant=None,
        application_id=application["id"],
    )
    post(client, b["id"], "extension", staff["director"], days=10, reason="r", decided_on="2026-11-20")
    r = client.get(URL, headers=staff["rights_officer"])
    assert r.status_code == 200
    report = r.get_json()
    ids = sorted(x["id"] for x in (a, b, c, d, f))
    assert report["total"] == {"count": 5, "ids": ids} and e["id"] not in report["total"]["ids"]
    assert report["by_channel"]["email"] == {"count": 1, "ids": [b["id"]]}
    assert report["by_kind"]["appeal"] == {"count": 1, "ids": [d["id"]]}
    assert report["by_outcome"] == {"partly_upheld": {"count": 1, "ids": [a["id"]]}}
    assert report["answered_in_time"]["ids"] == sorted([a["id"], d["id"]])
    assert report["overdue_open"] == {"count": 1, "ids": [c["id"]]}  # received 01.10, due 16.10
    assert report["extensions"]["ids"] == [b["id"]]
    assert report["extension_notices_late"]["ids"] == [b["id"]]  # decided 20.11, no notice by 23.11
    assert report["refusals_by_reason"] == {"anonymous": {"count": 1, "ids": [d["id"]]}}
    assert report["systemic"]["threshold"] == 3
    assert report["systemic"]["categories"] == {
        "penalty_calculation": {"count": 3, "ids": sorted([a["id"], b["id"], c["id"]])}
    }
    assert report["linked_to_restructuring"]["items"] == [
        {"complaint_id": f["id"], "application_id": application["id"], "application_status": "received"}
    ]
    assert report["period"]["from"] == "2026-10-01" and report["period"]["as_of"] == "2026-11-25"


def test_the_csv_has_a_row_per_figure_and_per_id(client, staff):
    a = register(client, staff["credit_officer"])
    r = client.get(URL, headers=staff["director"] | {"Accept": "text/csv"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["figure", "complaint_id", "value"]
    assert ["total", "", "1"] in rows and ["total", str(a["id"]), ""] in rows
    assert ["by_channel.office", str(a["id"]), ""] in rows


@pytest.mark.parametrize("role", ["credit_officer", "lawyer"])
def test_only_the_rights_officer_director_and_admin_see_the_analysis(client, staff, role):
    assert client.get(URL, headers=staff[role]).status_code == 403
    assert client.get(URL, headers=staff["admin"]).status_code == 200


@pytest.mark.parametrize("query", ["year=2026&quarter=5", "year=2027&quarter=1", "year=2026", "year=x&quarter=1"])
def test_a_bad_or_future_quarter_is_422_naming_the_field(client, staff, query):
    r = client.get(f"/api/v1/reports/complaints?{query}", headers=staff["rights_officer"])
    assert r.status_code == 422 and r.get_json()["errors"]
