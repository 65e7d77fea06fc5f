import pytest
from sqlalchemy import select

from restructure.orm import Token


def test_request_without_token_is_401_problem(client):
    response = client.get("/api/v1/loans/1")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(client):
    response = client.get("/api/v1/loans/1", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["rights_officer"])
def test_wrong_role_is_403_problem(client, token_for, role):
    response = client.post("/api/v1/borrowers", json={}, headers=token_for(role))
    assert response.status_code == 403
    assert response.json["code"] == "forbidden"


def test_borrower_may_not_register_borrowers(client, token_for, make_borrower):
    borrower = make_borrower()
    response = client.post("/api/v1/borrowers", json={}, headers=token_for("borrower", borrower["id"]))
    assert response.status_code == 403


def test_role_is_checked_before_the_body_is_validated(client):
    response = client.post("/api/v1/loans", json={"principal": "1.001"})
    assert response.status_code == 401


def test_tokens_are_stored_only_as_digests(token_for, uow):
    headers = token_for("admin")
    token = headers["Authorization"].removeprefix("Bearer ")
    with uow() as work:
        stored = work.session.scalars(select(Token.token_hash)).all()
    assert token not in stored
    assert all(len(digest) == 64 for digest in stored)


def test_borrower_sees_own_loan_and_gets_404_for_anothers(client, token_for, make_loan):
    mine = make_loan()
    theirs = make_loan()
    headers = token_for("borrower", mine["borrower_id"])
    assert client.get(f"/api/v1/loans/{mine['id']}", headers=headers).status_code == 200
    other = client.get(f"/api/v1/loans/{theirs['id']}", headers=headers)
    missing = client.get("/api/v1/loans/999999", headers=headers)
    assert other.status_code == missing.status_code == 404
    assert other.json["detail"] == missing.json["detail"]


@pytest.mark.parametrize("role", ["credit_officer", "rights_officer", "admin"])
def test_staff_read_any_loan(client, token_for, make_loan, role):
    loan = make_loan()
    assert client.get(f"/api/v1/loans/{loan['id']}", headers=token_for(role)).status_code == 200
