"""Loan snapshots from the core banking system."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import current_actor, requires
from api.errors import documents_problems
from api.runtime import now, today, uow
from api.schemas import LoanCreateSchema, LoanSchema
from api.schemas.loan_snapshots import LoanSnapshotListSchema, LoanSnapshotUpdateSchema
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.loan_snapshots import replace_snapshot, snapshots
from restructure.loans import LoanData, LoanView, get_loan, register_loan

blp = Blueprint("loans", __name__, url_prefix="/api/v1/loans", description="Loan snapshots")


def _as_dict(view: LoanView) -> dict[str, Any]:
    loan = view.loan
    out = {column: getattr(loan, column) for column in LoanSchema().fields if hasattr(loan, column)}
    out["early_repayment_demand_allowed"] = view.early_repayment_demand_allowed
    return out


@blp.route("")
class Loans(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.arguments(LoanCreateSchema)
    @blp.response(201, LoanSchema)
    @documents_problems(blp, 409)
    def post(self, data: dict[str, Any]) -> Any:
        """Store a loan snapshot (rejects snapshots no real loan can be in)."""
        return _as_dict(register_loan(uow(), LoanData(**data), today=today(), now=now()))


@blp.route("/<int(min=1, max=2147483647):loan_id>")
class LoanById(MethodView):
    @requires(blp, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.response(200, LoanSchema)
    @documents_problems(blp, 404)
    def get(self, loan_id: int) -> Any:
        """Read a loan snapshot; a borrower sees only their own."""
        return _as_dict(get_loan(uow(), current_actor(), loan_id))


@blp.route("/<int(min=1, max=2147483647):loan_id>/snapshot")
class LoanSnapshot(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.arguments(LoanSnapshotUpdateSchema)
    @blp.response(200, LoanSchema)
    @documents_problems(blp, 404, 409)
    def put(self, data: dict[str, Any], loan_id: int) -> Any:
        """Store a newer snapshot of the loan from the core system (as_of later than the stored one)."""
        return _as_dict(replace_snapshot(uow(), current_actor(), loan_id, data, today=today(), now=now()))


@blp.route("/<int(min=1, max=2147483647):loan_id>/snapshots")
class LoanSnapshots(MethodView):
    @requires(blp, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.response(200, LoanSnapshotListSchema)
    @documents_problems(blp, 404)
    def get(self, loan_id: int) -> Any:
        """Every snapshot of the loan received so far, oldest first."""
        return {"items": snapshots(uow(), current_actor(), loan_id)}
