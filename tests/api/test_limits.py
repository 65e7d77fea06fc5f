"""Hostile input (SPEC §11): a clear 4xx problem+json every time, never a 500, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import application_payload, borrower_payload, loan_payload


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    return response.json  # type: ignore[no-any-return]


def test_a_body_over_1_mib_is_a_413_without_being_read(client: FlaskClient, officer: dict[str, str]) -> None:
    body = b'{"full_name": "' + b"a" * (1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"}
    )
    assert _problem(response, 413)["code"] == "payload_too_large"


def test_a_body_of_exactly_1_mib_is_read(client: FlaskClient, officer: dict[str, str]) -> None:
    body = b"[" + b" " * (1024 * 1024 - 2) + b"]"
    response = client.post("/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"})
    assert response.status_code == 422  # read and refused as the wrong shape, not as too large


def test_json_nested_deeper_than_32_levels_is_a_400(client: FlaskClient, officer: dict[str, str]) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"})
    assert _problem(response, 400)["code"] == "too_deep"


def test_json_nested_32_levels_is_not_refused_as_too_deep(client: FlaskClient, officer: dict[str, str]) -> None:
    body = "[" * 32 + "]" * 32
    response = client.post("/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"})
    assert response.status_code == 422


def test_brackets_inside_strings_do_not_count_as_nesting(client: FlaskClient, officer: dict[str, str]) -> None:
    payload = borrower_payload(full_name="[[[[" * 20)
    assert client.post("/api/v1/borrowers", json=payload, headers=officer).status_code == 201


def test_invalid_utf8_is_a_400(client: FlaskClient, officer: dict[str, str]) -> None:
    body = b'{"full_name": "\xff\xfe"}'
    response = client.post("/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"})
    assert _problem(response, 400)["code"] == "invalid_encoding"


def test_invalid_json_is_a_400(client: FlaskClient, officer: dict[str, str]) -> None:
    response = client.post("/api/v1/borrowers", data="{", headers=officer | {"Content-Type": "application/json"})
    assert _problem(response, 400)["code"] == "invalid_json"


def test_a_text_plain_body_is_a_415_not_missing_fields(client: FlaskClient, officer: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/borrowers", data='{"full_name": "x"}', headers=officer | {"Content-Type": "text/plain"}
    )
    problem = _problem(response, 415)
    assert problem["code"] == "unsupported_media_type"
    assert "application/json" in problem["detail"]


def test_a_5000_digit_integer_is_a_422(client: FlaskClient, officer: dict[str, str]) -> None:
    body = '{"borrower_id": ' + "9" * 5000 + "}"
    response = client.post("/api/v1/loans", data=body, headers=officer | {"Content-Type": "application/json"})
    _problem(response, 422)


def test_a_20_digit_integer_is_a_422(client: FlaskClient, officer: dict[str, str], make_borrower: Any) -> None:
    payload = loan_payload(make_borrower()["id"], term_months=10**20)
    _problem(client.post("/api/v1/loans", json=payload, headers=officer), 422)


@pytest.mark.parametrize("name", ["Ali\u0000ya", "Ali\ud800ya"])
def test_a_nul_or_lone_surrogate_in_a_name_is_a_422_naming_the_field(
    client: FlaskClient, officer: dict[str, str], name: str
) -> None:
    import json

    body = json.dumps(borrower_payload(full_name=name))  # ensure_ascii: the surrogate travels as \\ud800
    response = client.post("/api/v1/borrowers", data=body, headers=officer | {"Content-Type": "application/json"})
    assert "full_name" in _problem(response, 422)["errors"]


@pytest.mark.parametrize(
    ("amount", "words"),
    [("-100.00", "negative"), ("10000000000000.00", "less than"), ("100.005", "two decimals"), (-5, "negative")],
)
def test_amount_messages_say_what_is_wrong(
    client: FlaskClient, officer: dict[str, str], make_borrower: Any, amount: Any, words: str
) -> None:
    payload = loan_payload(make_borrower()["id"], principal=amount)
    errors = _problem(client.post("/api/v1/loans", json=payload, headers=officer), 422)["errors"]
    assert words in errors["principal"][0]


def test_an_application_requesting_nothing_is_a_422_naming_requested(
    client: FlaskClient, officer: dict[str, str], make_loan: Callable[..., Any]
) -> None:
    payload = application_payload(make_loan()["id"], requested={}, channel="office", received_on="2026-11-25")
    errors = _problem(client.post("/api/v1/applications", json=payload, headers=officer), 422)["errors"]
    assert "requested" in errors


def test_a_cursor_above_2_31_is_not_a_500(client: FlaskClient, officer: dict[str, str]) -> None:
    for path in ("/api/v1/applications?cursor=99999999999", "/api/v1/portfolio?cursor=9999999999"):
        response = client.get(path, headers=officer)
        assert response.status_code < 500, (path, response.status_code)


def test_pages_send_security_headers(client: FlaskClient) -> None:
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_queue_returns_summaries_and_the_record_is_one_click_away(
    client: FlaskClient, token_for: Callable[..., dict[str, str]], make_application: Callable[..., Any]
) -> None:
    created = make_application()
    rights = token_for("rights_officer")
    response = client.get("/api/v1/applications", headers=rights)
    item = next(i for i in response.json["items"] if i["id"] == created["id"])
    assert "assessment" not in item and "requested_plan" not in item and "incomes" not in item
    assert item["decision_due_on"] == created["decision_due_on"]
    assert item["status"] == created["status"]
    full = client.get(f"/api/v1/applications/{created['id']}", headers=rights).json
    assert full["assessment"] == created["assessment"]
    one_record = client.get(f"/api/v1/applications/{created['id']}", headers=rights).get_data()
    assert len(response.get_data()) < len(one_record)
