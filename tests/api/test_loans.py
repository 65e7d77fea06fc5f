import pytest
from sqlalchemy import func, select

from restructure.orm import Loan
from tests.conftest import loan_payload


def test_officer_stores_a_snapshot_and_reads_it_back_exactly(client, officer, make_borrower):
    borrower = make_borrower()
    payload = loan_payload(borrower["id"], annual_rate_pct="9.4822", principal="1234567.89")
    created = client.post("/api/v1/loans", json=payload, headers=officer)
    assert created.status_code == 201
    read = client.get(f"/api/v1/loans/{created.json['id']}", headers=officer)
    assert read.status_code == 200
    body = read.json
    for field in ("principal", "outstanding_principal", "overdue_interest", "penalties", "scheduled_payment"):
        assert body[field] == payload[field]
    assert body["annual_rate_pct"] == "9.4822"
    assert body["early_repayment_demand_allowed"] is True


def test_money_accepts_whole_numbers_and_returns_two_places(client, officer, make_borrower):
    borrower = make_borrower()
    response = client.post(
        "/api/v1/loans", json=loan_payload(borrower["id"], penalties=1500, annual_rate_pct=36), headers=officer
    )
    assert response.status_code == 201
    assert response.json["penalties"] == "1500.00"
    assert response.json["annual_rate_pct"] == "36.00"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": "-1.00"}, "principal"),
        ({"principal": "0.00"}, "principal"),
        ({"overdue_interest": "-5"}, "overdue_interest"),
        ({"penalties": -5}, "penalties"),
        ({"principal": "1000.005"}, "principal"),
        ({"principal": 1000.5}, "principal"),
        ({"principal": "1e5"}, "principal"),
        ({"annual_rate_pct": "200.0001"}, "annual_rate_pct"),  # the limit is 200% (short loans, SPEC §8)
        ({"annual_rate_pct": "-1"}, "annual_rate_pct"),
        ({"annual_rate_pct": "36.00001"}, "annual_rate_pct"),
        ({"payment_day": 32}, "payment_day"),
        ({"payment_day": 0}, "payment_day"),
        ({"payment_day": "10"}, "payment_day"),
        ({"payment_day": True}, "payment_day"),
        ({"term_months": 12, "remaining_term_months": 18}, "remaining_term_months"),
        ({"method": "balloon"}, "method"),
        ({"day_count": "30/360"}, "day_count"),
        ({"secured_by": "mortgage"}, "collateral_value"),
        ({"as_of": "2027-01-01", "next_payment_on": "2027-01-10"}, "as_of"),
        ({"outstanding_principal": "590000.00"}, "outstanding_principal"),
        ({"next_payment_on": "2026-11-01"}, "next_payment_on"),
        ({"overdue_since": "2026-12-01"}, "overdue_since"),
        ({"borrower_id": 999999}, "borrower_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_impossible_snapshot_is_422_naming_the_field_and_stores_nothing(
    client, officer, make_borrower, uow, overrides, field
):
    borrower = make_borrower()
    with uow() as work:
        before = work.session.scalar(select(func.count(Loan.id)))
    payload = loan_payload(borrower["id"]) | overrides
    response = client.post("/api/v1/loans", json=payload, headers=officer)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json
    with uow() as work:
        assert work.session.scalar(select(func.count(Loan.id))) == before


def test_money_with_three_decimals_is_never_rounded(client, officer, make_borrower):
    borrower = make_borrower()
    response = client.post("/api/v1/loans", json=loan_payload(borrower["id"], principal="1000.005"), headers=officer)
    assert response.status_code == 422
    assert "two decimals" in response.json["errors"]["principal"][0]


def test_duplicate_contract_number_is_409(client, officer, make_borrower):
    borrower = make_borrower()
    payload = loan_payload(borrower["id"])
    first = client.post("/api/v1/loans", json=payload, headers=officer)
    second = client.post("/api/v1/loans", json=payload, headers=officer)
    assert second.status_code == 409
    assert second.json["code"] == "conflict"
    assert second.json["loan_id"] == first.json["id"]


def test_rights_officer_may_read_but_not_create_loans(client, token_for, make_loan, make_borrower):
    loan = make_loan()
    headers = token_for("rights_officer")
    assert client.get(f"/api/v1/loans/{loan['id']}", headers=headers).status_code == 200
    payload = loan_payload(make_borrower()["id"])
    assert client.post("/api/v1/loans", json=payload, headers=headers).status_code == 403


def test_unknown_loan_is_404_problem(client, officer):
    response = client.get("/api/v1/loans/424242", headers=officer)
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_a_snapshot_carries_accrued_interest_and_the_collection_agency_date(client, officer, make_borrower):
    borrower = make_borrower()
    payload = loan_payload(borrower["id"], accrued_interest="4700.00", with_collection_agency_since="2026-11-01")
    created = client.post("/api/v1/loans", json=payload, headers=officer)
    assert created.status_code == 201, created.json
    read = client.get(f"/api/v1/loans/{created.json['id']}", headers=officer).json
    assert read["accrued_interest"] == "4700.00"
    assert read["with_collection_agency_since"] == "2026-11-01"
    plain = client.post("/api/v1/loans", json=loan_payload(borrower["id"]), headers=officer).json
    assert plain["accrued_interest"] == "0.00" and plain["with_collection_agency_since"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"accrued_interest": "1000.005"}, "accrued_interest"),
        ({"accrued_interest": "-1.00"}, "accrued_interest"),
        ({"with_collection_agency_since": "2026-11-21"}, "with_collection_agency_since"),  # after as_of
        ({"annual_rate_pct": "200.01"}, "annual_rate_pct"),
    ],
)
def test_bad_hard_case_fields_are_422_naming_the_field(client, officer, make_borrower, overrides, field):
    response = client.post("/api/v1/loans", json=loan_payload(make_borrower()["id"], **overrides), headers=officer)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_a_short_loan_rate_above_100_percent_is_accepted(client, officer, make_borrower):
    # 0.3% a day = 109.5% a year (short loans, joint ARDFM 62 / NBRK 45): the Rate field goes to the engine's 200%
    response = client.post(
        "/api/v1/loans", json=loan_payload(make_borrower()["id"], annual_rate_pct="109.5"), headers=officer
    )
    assert response.status_code == 201 and response.json["annual_rate_pct"] == "109.50"


@pytest.mark.parametrize("next_payment_on", ["9999-12-31", "2031-12-31"])
def test_a_next_payment_near_date_max_is_a_422_not_an_overflow(client, officer, make_borrower, next_payment_on):
    response = client.post(
        "/api/v1/loans", json=loan_payload(make_borrower()["id"], next_payment_on=next_payment_on), headers=officer
    )
    assert response.status_code == 422
    assert "next_payment_on" in response.json["errors"]
