"""POST /imports/snapshots: NDJSON and CSV, upsert by contract number, bad rows by line, idempotent."""

import io
import json
from datetime import UTC, datetime

import marshmallow as ma
import pytest
from sqlalchemy import func, select

from api.import_rows import read_ndjson
from api.runtime import runtime
from restructure.imports import import_snapshots
from restructure.orm import Borrower, Loan
from restructure.uow import UnitOfWork
from tests.conftest import TODAY, borrower_payload, loan_payload

URL = "/api/v1/imports/snapshots"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NDJSON = "application/x-ndjson"


def ndjson(*rows):
    return "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows).encode()


def post(client, headers, body, content_type=NDJSON):
    return client.post(URL, data=body, headers=headers | {"Content-Type": content_type})


def embedded(**overrides):
    row = loan_payload(0, **overrides)
    del row["borrower_id"]
    borrower = borrower_payload()
    del borrower["other_monthly_debt_payments"]
    return row | {"borrower": borrower}


def count(uow, model):
    with uow() as u:
        return u.session.scalar(select(func.count()).select_from(model))


def loan_by_number(uow, number):
    with uow() as u:
        return u.session.scalars(select(Loan).where(Loan.contract_number == number)).one()


def test_good_rows_land_and_a_bad_row_is_reported_by_its_line(client, officer, make_borrower, uow):
    borrower = make_borrower()
    first, second = loan_payload(borrower["id"]), embedded()
    bad = loan_payload(borrower["id"], principal="1000.005")
    response = post(client, officer, ndjson(first, second, bad))
    assert response.status_code == 200, response.json
    assert response.json == {
        "rows": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "ignored_older": 0,
        "errors": [
            {
                "line": 3,
                "errors": {
                    "principal": ['Must have at most two decimals (tiyn), e.g. "1500.05"; it is never rounded.']
                },
            }
        ],
    }
    assert loan_by_number(uow, first["contract_number"]).borrower_id == borrower["id"]
    stored = loan_by_number(uow, second["contract_number"])
    with uow() as u:
        assert u.session.get(Borrower, stored.borrower_id).iin == second["borrower"]["iin"]
    assert count(uow, Loan) == 2


def test_the_same_file_twice_changes_nothing(client, officer, make_borrower, uow):
    borrower = make_borrower()
    body = ndjson(loan_payload(borrower["id"]), embedded(), embedded())
    assert post(client, officer, body).json["created"] == 3
    borrowers = count(uow, Borrower)
    again = post(client, officer, body).json
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 3, [])
    assert count(uow, Loan) == 3
    assert count(uow, Borrower) == borrowers


def test_a_newer_snapshot_updates_an_older_one_is_ignored(client, officer, make_borrower, uow):
    borrower = make_borrower()
    row = loan_payload(borrower["id"])
    post(client, officer, ndjson(row))
    newer = row | {"as_of": "2026-11-24", "penalties": "1800.00"}
    older = row | {"as_of": "2026-11-01", "penalties": "9.00"}
    response = post(client, officer, ndjson(newer, older)).json
    assert (response["updated"], response["ignored_older"], response["created"]) == (1, 1, 0)
    stored = loan_by_number(uow, row["contract_number"])
    assert (stored.as_of.isoformat(), str(stored.penalties)) == ("2026-11-24", "1800.00")


def test_an_imported_newer_snapshot_joins_the_loans_snapshot_history(client, officer, make_borrower, uow):
    """SPEC §8: the history of snapshots is kept whichever way a newer one arrives (PUT or a bulk import)."""
    borrower = make_borrower()
    row = loan_payload(borrower["id"])
    post(client, officer, ndjson(row))
    post(client, officer, ndjson(row | {"as_of": "2026-11-24", "penalties": "1800.00"}))
    post(client, officer, ndjson(row | {"as_of": "2026-11-25", "penalties": "1900.00"}))
    loan_id = loan_by_number(uow, row["contract_number"]).id
    history = client.get(f"/api/v1/loans/{loan_id}/snapshots", headers=officer).json
    entries = history if isinstance(history, list) else history["items"]
    assert [(e["as_of"], e["snapshot"]["penalties"]) for e in entries] == [
        (row["as_of"], row.get("penalties", "0.00")),
        ("2026-11-24", "1800.00"),
        ("2026-11-25", "1900.00"),
    ]


def test_a_different_snapshot_with_the_same_as_of_is_an_error_not_a_silent_skip(client, officer, make_borrower):
    borrower = make_borrower()
    row = loan_payload(borrower["id"])
    post(client, officer, ndjson(row))
    response = post(client, officer, ndjson(row | {"penalties": "1.00"})).json
    assert response["errors"] == [
        {"line": 1, "errors": {"as_of": ["A different snapshot with this as_of is already stored."]}}
    ]


def test_rows_get_the_cross_field_checks_of_post_loans(client, officer, make_borrower, uow):
    borrower = make_borrower()
    rows = [
        loan_payload(borrower["id"], remaining_term_months=30),
        loan_payload(borrower["id"], as_of="2026-12-01"),
        loan_payload(999999),
        "{not json",
        "[1, 2]",
    ]
    errors = {e["line"]: e["errors"] for e in post(client, officer, ndjson(*rows)).json["errors"]}
    assert errors == {
        1: {"remaining_term_months": ["Cannot exceed term_months."]},
        2: {"as_of": ["Cannot be in the future."]},
        3: {"borrower_id": ["No borrower with id 999999."]},
        4: {"_line": ["Not valid JSON: Expecting property name enclosed in double quotes."]},
        5: {"_line": ["Must be a JSON object."]},
    }
    assert count(uow, Loan) == 0


def test_an_embedded_borrower_is_matched_by_iin(client, officer, make_borrower, uow):
    borrower = make_borrower()
    row = embedded()
    row["borrower"]["iin"] = borrower["iin"]
    assert post(client, officer, ndjson(row)).json["created"] == 1
    assert loan_by_number(uow, row["contract_number"]).borrower_id == borrower["id"]


def test_an_embedded_borrower_with_a_bad_iin_names_the_nested_field(client, officer):
    row = embedded()
    row["borrower"]["iin"] = "123"
    errors = post(client, officer, ndjson(row)).json["errors"]
    assert list(errors[0]["errors"]) == ["borrower.iin"]


def test_csv_with_borrower_columns_numbers_lines_from_the_header(client, officer, uow):
    first, second = embedded(), embedded(term_months=12, remaining_term_months=18)
    columns = [k for k in first if k != "borrower"] + [f"borrower.{k}" for k in first["borrower"]]

    def cells(row):
        flat = {k: v for k, v in row.items() if k != "borrower"} | {
            f"borrower.{k}": v for k, v in row["borrower"].items()
        }
        return ",".join(
            "|".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
            for v in (flat[c] for c in columns)
        )

    body = "\n".join([",".join(columns), cells(first), cells(second)]).encode()
    response = post(client, officer, body, "text/csv").json
    assert response["created"] == 1
    assert response["errors"] == [{"line": 3, "errors": {"remaining_term_months": ["Cannot exceed term_months."]}}]
    assert loan_by_number(uow, first["contract_number"]).term_months == 24


def test_an_unknown_csv_column_rejects_the_file_and_changes_nothing(client, officer, uow):
    response = post(client, officer, b"contract_number,colour\nX-1,red\n", "text/csv")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"colour": ["Unknown column."]}
    assert count(uow, Loan) == 0


def test_a_json_body_is_415(client, officer):
    response = client.post(URL, json={"a": 1}, headers=officer)
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"


def test_borrowers_may_not_import(client, token_for, make_borrower):
    borrower = make_borrower()
    headers = token_for("borrower", borrower_id=borrower["id"])
    assert post(client, headers, ndjson(loan_payload(borrower["id"]))).status_code == 403


def test_each_batch_is_its_own_transaction(app, make_borrower, uow):
    """A failure in the second batch of two rows leaves the first batch stored."""
    borrower = make_borrower()
    rows = [loan_payload(borrower["id"]) for _ in range(5)]
    opened = []

    class Failing(UnitOfWork):
        def commit(self):
            if len(opened) == 2:
                raise RuntimeError("database went away")
            super().commit()

    def factory():
        opened.append(1)
        return Failing(runtime(app).session_factory)

    with pytest.raises(RuntimeError):
        import_snapshots(factory, read_ndjson(io.BytesIO(ndjson(*rows))), today=TODAY, now=NOW, batch_size=2)
    assert count(uow, Loan) == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"method": "differentiated", "collateral_value": "100.00", "secured_by": "pledge"},
        {"principal": "0.00"},  # the schema's @validates hook
        {"term_months": "24"},  # a numeric string: StrictInteger refuses it
        {"colour": "red"},  # unknown field
        {"overdue_since": None},
        {"payment_day": 32},
    ],
)
def test_the_fast_row_load_gives_exactly_what_the_schema_gives(overrides):
    from api.import_rows import FastLoad
    from api.schemas import LoanCreateSchema

    schema = LoanCreateSchema()
    data = loan_payload(7, **overrides)
    for optional in ("method", "day_count", "penalties"):
        if optional not in overrides:
            data.pop(optional)
    try:
        expected = schema.load(data)
    except ma.ValidationError as exc:
        with pytest.raises(ma.ValidationError) as raised:
            FastLoad(schema)(data)
        assert raised.value.messages == exc.messages
    else:
        assert FastLoad(schema)(data) == expected


def test_an_unreadable_csv_header_is_422_naming_the_header(client, officer):
    response = post(client, officer, b'"unterminated', "text/csv")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["_header"]
