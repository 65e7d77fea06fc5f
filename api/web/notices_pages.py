"""Pages for notices: the console's delinquency list and each loan's notices; the cabinet's list of notices."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from api.runtime import today, uow
from api.web import STAFF_PAGES, actor, bp, page
from restructure.access import BORROWER
from restructure.delinquency import delinquent_loans
from restructure.loans import get_loan
from restructure.outbox import cabinet_notices, loan_notices
from rules.delinquency import NOTICE_STATUSES


@bp.get("/console/delinquency")
@page(*STAFF_PAGES)
def delinquency() -> Any:
    """Loans whose delinquency notice is due, late or sent (LMF Art. 9-2 p.1)."""
    status = request.args.get("status") or None
    if status is not None and status not in NOTICE_STATUSES:
        abort(404)
    items = delinquent_loans(uow(), today=today(), status=status)
    return render_template("pages/delinquency.html", items=items, status=status, statuses=NOTICE_STATUSES)


@bp.get("/console/loans/<int:loan_id>/notices")
@page(*STAFF_PAGES)
def loan_notice_list(loan_id: int) -> Any:
    """What was sent to the borrower about this loan, with the sent and delivered days."""
    loan = get_loan(uow(), actor(), loan_id).loan
    notices = loan_notices(uow(), loan.id, loan.borrower_id)
    return render_template("pages/notices.html", notices=notices, loan=loan)


@bp.get("/cabinet/notices")
@page(BORROWER)
def cabinet_notice_list() -> Any:
    """The borrower's notices (every channel), newest first."""
    borrower_id = actor().borrower_id
    assert borrower_id is not None  # noqa: S101 - a borrower user is bound to a borrower
    return render_template("pages/notices.html", notices=cabinet_notices(uow(), borrower_id), loan=None)
