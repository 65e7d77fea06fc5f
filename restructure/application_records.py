"""Loading an application, its loan and its case for a command (SPEC §6): shared by the command modules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from restructure.access import Actor, ensure_visible
from restructure.errors import NotFound
from restructure.evaluation import Case, case_of
from restructure.orm import Application, Borrower, Loan
from restructure.snapshots import (
    incomes_mapping,
    plan_params,
)
from restructure.uow import UnitOfWork


def plan_start(loan: Loan, day: date) -> date:
    return max(day, loan.as_of)


def locked(uow: UnitOfWork, actor: Actor, application_id: int) -> Application:
    app = uow.session.scalars(select(Application).where(Application.id == application_id).with_for_update()).first()
    if app is None:
        raise NotFound("Application not found.")
    ensure_visible(actor, app.borrower_id, "Application")
    return app


def case_for(loan: Loan, borrower: Borrower, app: Application) -> Case:
    """The application's assessment on the loan's current snapshot, with a conscript's service end."""
    return case_of(
        loan,
        borrower,
        incomes_mapping(app.incomes),
        app.received_on,
        plan_params(app.requested),
        military_service_until=app.military_service_until,
    )


def loan_and_borrower(uow: UnitOfWork, app: Application) -> tuple[Loan, Borrower]:
    loan = uow.session.get(Loan, app.loan_id)
    borrower = uow.session.get(Borrower, app.borrower_id)
    assert loan is not None and borrower is not None  # noqa: S101 - foreign keys
    return loan, borrower


