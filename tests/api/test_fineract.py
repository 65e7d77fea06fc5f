"""Apache Fineract: loans imported from GET /loans/{id}?associations=all, agreed plans exported for POST
/rescheduleloans. Fixtures in tests/fixtures/fineract/ follow Fineract's published shapes (see their ``_source``)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from restructure.fineract import map_loan, reschedule_request
from restructure.orm import Borrower, Loan
from tests.conftest import TODAY

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fineract"
URL = "/api/v1/imports/fineract"


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_an_active_fineract_loan_maps_to_our_snapshot():
    row, errors = map_loan(fixture("loan_associations_all.json"), language="kk", today=TODAY)
    assert errors == {}
    assert row == {
        "contract_number": "000001042",
        "issued_on": "2026-05-10",
        "principal": "600000.00",
        "annual_rate_pct": "36",
        "term_months": 24,
        "method": "annuity",  # amortizationType 1: equal installments
        "day_count": "30E/360",  # daysInMonthType 30 + daysInYearType 360
        "secured_by": "none",
        "as_of": "2026-11-25",
        "outstanding_principal": "450000.00",  # principalOutstanding 470,000 less the 20,000 overdue
        "overdue_principal": "20000.00",
        "overdue_interest": "15000.00",
        "penalties": "1500.00",
        "overdue_since": "2026-10-10",
        "payment_day": 10,
        "remaining_term_months": 18,  # instalments due 2026-12-10 … 2028-05-10
        "next_payment_on": "2026-12-10",
        "scheduled_payment": "35428.09",
        "borrower": {"iin": "900412300018", "full_name": "Айгуль Серикова", "language": "kk"},
    }


def test_equal_principal_is_differentiated_and_actual_365_maps():
    loan = fixture("loan_associations_all.json")
    loan["amortizationType"] = {"id": 0, "code": "amortizationType.equal.principal", "value": "Equal principal"}
    loan["daysInMonthType"] = {"id": 1, "code": "DaysInMonthType.actual", "value": "Actual"}
    loan["daysInYearType"] = {"id": 365, "code": "DaysInYearType.days365", "value": "365 Days"}
    row, errors = map_loan(loan, language="ru", today=TODAY)
    assert errors == {}
    assert (row["method"], row["day_count"]) == ("differentiated", "actual/365")


def test_what_cannot_be_mapped_is_named_by_its_fineract_path():
    _, errors = map_loan(fixture("loan_unmappable.json"), language="ru", today=TODAY)
    assert sorted(errors) == [
        "amortizationType.id",
        "clientExternalId",
        "currency.code",
        "daysInYearType.id",
        "interestType.id",
        "summary.feeChargesOverdue",
    ]
    assert errors["interestType.id"] == ["Only declining-balance interest is supported. Got 'interestType.flat'."]


def test_officer_imports_fineract_loans_and_the_fineract_id_is_kept(client, officer, uow):
    body = [fixture("loan_associations_all.json"), fixture("loan_unmappable.json")]
    response = client.post(f"{URL}?language=kk", json=body, headers=officer)
    assert response.status_code == 200, response.json
    summary = response.json
    assert (summary["rows"], summary["created"]) == (2, 1)
    assert [e["line"] for e in summary["errors"]] == [2]
    assert "currency.code" in summary["errors"][0]["errors"]
    with uow() as u:
        loan = u.session.scalars(select(Loan).where(Loan.contract_number == "000001042")).one()
        assert loan.core_loan_id == "1042"
        assert u.session.get(Borrower, loan.borrower_id).language == "kk"
    again = client.post(f"{URL}?language=kk", json=body[:1], headers=officer).json
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_a_fineract_import_needs_json(client, officer):
    response = client.post(URL, data="x", headers=officer | {"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_the_reschedule_request_carries_fineracts_fields():
    body, errors = reschedule_request(
        core_loan_id="1042",
        params={"extra_months": 12, "deferral_months": 3, "deferral_of": "principal", "new_rate_pct": "24.5"},
        reschedule_from=TODAY.replace(day=10, month=12),
        first_due_on=TODAY.replace(day=15, month=12),
        submitted_on=TODAY,
        reason_id=17,
        comment="c",
    )
    assert errors == {}
    assert body == {
        "loanId": 1042,
        "rescheduleFromDate": "2026-12-10",
        "rescheduleReasonId": 17,
        "rescheduleReasonComment": "c",
        "submittedOnDate": "2026-11-25",
        "dateFormat": "yyyy-MM-dd",
        "locale": "en",
        "adjustedDueDate": "2026-12-15",
        "graceOnPrincipal": 3,
        "extraTerms": 12,
        "newInterestRate": 24.5,
    }
    published = set(fixture("post_reschedule_loans_request_fields.json")["fields"])
    assert set(body) <= published


def test_a_write_off_cannot_be_exported_as_a_reschedule():
    _, errors = reschedule_request(
        core_loan_id=None,
        params={"forgive": {"penalties": "all"}},
        reschedule_from=TODAY,
        first_due_on=None,
        submitted_on=TODAY,
        reason_id=1,
        comment="",
    )
    assert sorted(errors) == ["decision.params.forgive", "loan.core_loan_id"]


@pytest.fixture
def agreed_fineract_application(client, officer, token_for, make_application, uow):
    client.post(URL, json=fixture("loan_associations_all.json"), headers=officer)
    with uow() as u:
        loan_id = u.session.scalars(select(Loan.id).where(Loan.contract_number == "000001042")).one()
    application = make_application(loan_id=loan_id)
    proposed = client.post(
        f"/api/v1/applications/{application['id']}/decision", json={"outcome": "accept"}, headers=officer
    )
    assert proposed.status_code == 200, proposed.json
    approved = client.post(
        f"/api/v1/applications/{application['id']}/approval",
        json={"verdict": "approve", "comment": ""},
        headers=token_for("rights_officer"),
    )
    assert approved.status_code == 200, approved.json
    return approved.json


def test_staff_export_the_agreed_plan_for_fineract(client, officer, agreed_fineract_application):
    application_id = agreed_fineract_application["id"]
    response = client.get(
        f"/api/v1/applications/{application_id}/fineract-reschedule?reschedule_reason_id=5", headers=officer
    )
    assert response.status_code == 200, response.json
    assert response.json["loanId"] == 1042
    assert response.json["extraTerms"] == 12  # the requested plan: 12 more months
    assert response.json["rescheduleFromDate"] == "2026-12-10"
    assert response.json["submittedOnDate"] == "2026-11-25"


def test_an_undecided_application_cannot_be_exported(client, officer, make_application):
    application = make_application()
    response = client.get(
        f"/api/v1/applications/{application['id']}/fineract-reschedule?reschedule_reason_id=5", headers=officer
    )
    assert response.status_code == 409
    assert response.json["state"] == "received"


def test_a_body_that_is_neither_a_loan_nor_a_list_is_422_and_changes_nothing(client, officer):
    for body in ("null", '[{"id": 1}, "nonsense"]'):
        response = client.post(URL, data=body, headers=officer | {"Content-Type": "application/json"})
        assert response.status_code == 422
        assert response.json["errors"] == {"_body": ["Must be an object or a list of objects."]}
