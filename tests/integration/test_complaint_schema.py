"""The complaint tables on the database: the trail is append-only on PostgreSQL; the new roles pass the check."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from restructure.orm import User


@pytest.mark.postgres_only
def test_complaint_events_cannot_be_updated_or_deleted(client, connection, token_for):
    headers = token_for("credit_officer")
    body = {
        "kind": "appeal",
        "channel": "phone",
        "language": "ru",
        "text": "Вопрос",
        "received_on": "2026-11-25",
        "applicant": {"name": "Клиент"},
    }
    assert client.post("/api/v1/complaints", json=body, headers=headers).status_code == 201
    for statement in ("UPDATE complaint_events SET kind = 'x'", "DELETE FROM complaint_events"):
        savepoint = connection.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text(statement))
        savepoint.rollback()


@pytest.mark.parametrize(("role", "ok"), [("lawyer", True), ("director", True), ("janitor", False)])
def test_the_role_check_admits_lawyer_and_director(connection, role, ok):
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        session.add(
            User(name="x", role=role, borrower_id=None, person_id="P-1", active=True, created_at=datetime.now(UTC))
        )
        if ok:
            session.flush()
        else:
            with pytest.raises(IntegrityError):
                session.flush()
