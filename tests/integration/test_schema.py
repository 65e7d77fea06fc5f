from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from api.cli import alembic_config
from restructure.orm import Application, ApplicationEvent, Base, Borrower, Loan


def test_migrations_build_exactly_the_mapped_schema(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    assert compare_metadata(context, Base.metadata) == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(connection):
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    command.downgrade(config, "base")
    tables = set(connection.dialect.get_table_names(connection)) - {"alembic_version"}
    assert tables == set()
    command.upgrade(config, "head")
    assert {"users", "tokens", "borrowers", "loans", "applications", "application_events"} <= set(
        connection.dialect.get_table_names(connection)
    )


def _borrower(session: Session) -> Borrower:
    borrower = Borrower(
        iin="900412300018",
        full_name="x",
        language="ru",
        vulnerable_categories=[],
        other_monthly_debt_payments=Decimal("0.10"),
        created_at=datetime.now(UTC),
    )
    session.add(borrower)
    session.flush()
    return borrower


def _loan(session: Session, borrower_id: int, principal: str, number: str) -> Loan:
    loan = Loan(
        borrower_id=borrower_id, contract_number=number, issued_on=date(2026, 1, 1), principal=Decimal(principal),
        annual_rate_pct=Decimal("9.4822"), term_months=12, method="annuity", day_count="30E/360", payment_day=1,
        secured_by="none", as_of=date(2026, 2, 1), outstanding_principal=Decimal(principal),
        overdue_principal=Decimal("0.01"), overdue_interest=Decimal("0.00"), penalties=Decimal("0.00"),
        remaining_term_months=12, scheduled_payment=Decimal("0.01"), next_payment_on=date(2026, 3, 1),
        created_at=datetime.now(UTC),
    )
    session.add(loan)
    session.flush()
    return loan


def test_money_round_trips_exactly_and_sums_exactly(connection):
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        borrower = _borrower(session)
        _loan(session, borrower.id, "9999999999.99", "X-1")
        _loan(session, borrower.id, "0.01", "X-2")
        _loan(session, borrower.id, "0.10", "X-3")
        session.expire_all()
        principals = sorted(session.scalars(select(Loan.principal)).all())
        assert principals == [Decimal("0.01"), Decimal("0.10"), Decimal("9999999999.99")]
        assert all(isinstance(p, Decimal) for p in principals)
        assert session.scalar(select(Loan.annual_rate_pct).where(Loan.contract_number == "X-1")) == Decimal("9.4822")
        # SQLite stores tiyn; SUM keeps the column type, so the total comes back as exact tenge on both databases
        assert session.scalar(select(func.sum(Loan.principal))) == Decimal("10000000000.10")


def test_money_with_a_third_decimal_is_refused_by_the_column_type(connection):
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        borrower = _borrower(session)
        with pytest.raises(Exception, match="more than 2 decimal places"):
            _loan(session, borrower.id, "1.005", "X-4")


@pytest.mark.postgres_only
def test_postgres_refuses_to_update_or_delete_an_event(connection):
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        borrower = _borrower(session)
        loan = _loan(session, borrower.id, "1000.00", "X-5")
        now = datetime.now(UTC)
        application = Application(
            loan_id=loan.id, borrower_id=borrower.id, status="received", channel="office", language="ru",
            received_on=date(2026, 2, 1), decision_due_on=date(2026, 2, 16), reasons=[], statement="",
            requested={}, incomes=[], documents=[], created_at=now, updated_at=now,
        )
        session.add(application)
        session.flush()
        session.add(ApplicationEvent(
            application_id=application.id, seq=1, occurred_at=now, business_date=date(2026, 2, 1),
            actor_role="credit_officer", kind="received", to_status="received", payload={},
        ))
        session.flush()
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text("UPDATE application_events SET kind = 'tampered'"))
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text("DELETE FROM application_events"))
