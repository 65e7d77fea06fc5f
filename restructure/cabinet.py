"""What the borrower's cabinet lists: the signed-in borrower's own loans and applications (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from restructure.access import Actor
from restructure.errors import Forbidden
from restructure.loans import LoanView, view_of
from restructure.orm import Application, Loan
from restructure.uow import UnitOfWork


@dataclass(frozen=True)
class Cabinet:
    """A borrower's loans (with the R-NO-ACCELERATION flag) and applications, newest application first."""

    loans: list[LoanView]
    applications: list[Application]


def cabinet(uow: UnitOfWork, actor: Actor) -> Cabinet:
    """Only a borrower has a cabinet, and it holds only their own records."""
    if not actor.is_borrower or actor.borrower_id is None:
        raise Forbidden("Only a borrower has a cabinet.")
    with uow:
        loans = list(uow.session.scalars(select(Loan).where(Loan.borrower_id == actor.borrower_id).order_by(Loan.id)))
        views = [
            view_of(uow, loan) for loan in loans
        ]
        applications = list(
            uow.session.scalars(
                select(Application).where(Application.borrower_id == actor.borrower_id).order_by(Application.id.desc())
            )
        )
    return Cabinet(loans=views, applications=applications)
