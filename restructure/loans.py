"""Loan snapshots from the core banking system, and the R-NO-ACCELERATION flag they carry."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select

from restructure.access import Actor, ensure_visible
from restructure.errors import Conflict, InvalidInput, NotFound
from restructure.orm import Application, Borrower, Loan
from restructure.uow import UnitOfWork
from restructure.workflow import FINAL
from rules.acceleration import early_repayment_demand_allowed
from schedules.terms import LoanSnapshot

NEXT_PAYMENT_WINDOW = timedelta(days=5 * 366)
"""How far after ``as_of`` a snapshot's next payment may fall."""


@dataclass(frozen=True, kw_only=True)
class LoanData(LoanSnapshot):
    """What ``POST /loans`` carries: the snapshot (declared once, ``schedules.terms.LoanSnapshot``), whose loan it
    is and its contract."""

    borrower_id: int
    contract_number: str


def snapshot_problems(data: LoanData, *, today: date) -> dict[str, list[str]]:
    """Cross-field checks that reject snapshots no real loan can be in."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.remaining_term_months > data.term_months:
        add("remaining_term_months", "Cannot exceed term_months.")
    if data.outstanding_principal + data.overdue_principal > data.principal:
        add("outstanding_principal", "Outstanding plus overdue principal cannot exceed the issued principal.")
    if data.as_of < data.issued_on:
        add("as_of", "Cannot be before issued_on.")
    if data.as_of > today:
        add("as_of", "Cannot be in the future.")
    if data.next_payment_on < data.as_of:
        add("next_payment_on", "Cannot be before as_of.")
    elif data.as_of <= today and data.next_payment_on > data.as_of + NEXT_PAYMENT_WINDOW:
        # keeps every due date and the contract's maturity computable (never an OverflowError near date.max)
        add("next_payment_on", "Must fall within five years after as_of.")
    if data.overdue_since is not None and not (data.issued_on <= data.overdue_since <= data.as_of):
        add("overdue_since", "Must fall between issued_on and as_of.")
    has_arrears = data.overdue_principal > 0 or data.overdue_interest > 0 or data.penalties > 0
    if data.overdue_since is not None and not has_arrears:
        add("overdue_since", "Given, but the loan has no overdue amounts.")
    if data.outstanding_principal + data.overdue_principal > 0 and data.scheduled_payment <= 0:
        add("scheduled_payment", "Must be positive while principal is owed.")
    if data.with_collection_agency_since is not None and not (
        data.issued_on <= data.with_collection_agency_since <= data.as_of
    ):
        add("with_collection_agency_since", "Must fall between issued_on and as_of.")
    if data.secured_by != "none" and data.collateral_value is None:
        add("collateral_value", f"Required for a loan secured by {data.secured_by}.")
    return errors


@dataclass(frozen=True)
class LoanView:
    """A loan as the API shows it, with the R-NO-ACCELERATION flag."""

    loan: Loan
    early_repayment_demand_allowed: bool


def register_loan(uow: UnitOfWork, data: LoanData, *, today: date, now: datetime) -> LoanView:
    """Store a snapshot; the borrower must exist and the contract number must be new."""
    errors = snapshot_problems(data, today=today)
    with uow:
        if uow.session.get(Borrower, data.borrower_id) is None:
            errors["borrower_id"] = [f"No borrower with id {data.borrower_id}."]
        if errors:
            raise InvalidInput("The loan snapshot is not possible.", errors)
        duplicate = uow.session.scalar(select(Loan.id).where(Loan.contract_number == data.contract_number))
        if duplicate is not None:
            raise Conflict(
                "A loan with this contract number is already registered.", related={"loan_id": duplicate}
            )
        loan = Loan(**{f.name: getattr(data, f.name) for f in fields(data)}, created_at=now)
        uow.session.add(loan)
        uow.commit()
        return LoanView(loan=loan, early_repayment_demand_allowed=early_repayment_demand_allowed(under_review=False))


def view_of(uow: UnitOfWork, loan: Loan) -> LoanView:
    """The loan with R-NO-ACCELERATION's flag for the core system (LMF Art. 9-2 p.3, ``rules/acceleration.py``)."""
    return LoanView(loan=loan, early_repayment_demand_allowed=early_repayment_demand_allowed(
        under_review=has_open_application(uow, loan.id)
    ))


def has_open_application(uow: UnitOfWork, loan_id: int) -> bool:
    """LMF Art. 9-2 p.3: while an application is open the lender may not demand early repayment."""
    return bool(
        uow.session.scalar(
            select(exists().where(Application.loan_id == loan_id, Application.status.not_in(FINAL)))
        )
    )


def get_loan(uow: UnitOfWork, actor: Actor, loan_id: int) -> LoanView:
    """One loan; a borrower asking for another borrower's loan gets the same answer as for a missing one."""
    with uow:
        loan = uow.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        ensure_visible(actor, loan.borrower_id, "Loan")
        return view_of(uow, loan)
