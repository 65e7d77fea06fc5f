from datetime import date

import pytest
from sqlalchemy import func, select

from restructure.iin import make_iin
from restructure.orm import Borrower
from tests.conftest import borrower_payload


def test_officer_registers_a_borrower(client, officer):
    payload = borrower_payload(vulnerable_categories=["old_age_pensioner"], targeted_social_assistance=True)
    response = client.post("/api/v1/borrowers", json=payload, headers=officer)
    assert response.status_code == 201
    body = response.json
    assert body["iin"] == payload["iin"]
    assert body["vulnerable_categories"] == ["old_age_pensioner"]
    assert body["targeted_social_assistance"] is True
    assert body["other_monthly_debt_payments"] == "20000.00"


def test_admin_registers_a_borrower(client, token_for):
    response = client.post("/api/v1/borrowers", json=borrower_payload(), headers=token_for("admin"))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("iin", "fragment"),
    [
        ("900412300017", "check digit"),
        ("12345", "12 digits"),
        ("900231" + make_iin(date(1990, 2, 28), female=False, serial=7)[6:], "birth date"),
        (make_iin(date(2030, 1, 1), female=False, serial=3), "future"),
    ],
)
def test_invalid_iin_is_422_naming_the_field(client, officer, uow, iin, fragment):
    with uow() as work:
        before = work.session.scalar(select(func.count(Borrower.id)))
    response = client.post("/api/v1/borrowers", json=borrower_payload(iin=iin), headers=officer)
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"
    assert any(fragment in message for message in response.json["errors"]["iin"])
    with uow() as work:
        assert work.session.scalar(select(func.count(Borrower.id))) == before


def test_unknown_vulnerable_category_is_422(client, officer):
    response = client.post(
        "/api/v1/borrowers", json=borrower_payload(vulnerable_categories=["pensioner"]), headers=officer
    )
    assert response.status_code == 422
    assert "vulnerable_categories.0" in response.json["errors"]


def test_every_housing_law_category_is_accepted(client, officer):
    from restructure.borrowers import VULNERABLE_CATEGORIES

    response = client.post(
        "/api/v1/borrowers", json=borrower_payload(vulnerable_categories=list(VULNERABLE_CATEGORIES)), headers=officer
    )
    assert response.status_code == 201
    assert len(VULNERABLE_CATEGORIES) == 14


def test_duplicate_iin_is_409_naming_the_existing_borrower(client, officer):
    payload = borrower_payload()
    first = client.post("/api/v1/borrowers", json=payload, headers=officer)
    second = client.post("/api/v1/borrowers", json=payload | {"full_name": "Someone Else"}, headers=officer)
    assert second.status_code == 409
    assert second.json["borrower_id"] == first.json["id"]


def test_boolean_flags_refuse_strings(client, officer):
    response = client.post("/api/v1/borrowers", json=borrower_payload(emergency_affected="yes"), headers=officer)
    assert response.status_code == 422
    assert "emergency_affected" in response.json["errors"]
