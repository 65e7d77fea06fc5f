"""Borrowers: registered by officers from the core system or the office."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import requires
from api.errors import documents_problems
from api.runtime import now, today, uow
from api.schemas import BorrowerCreateSchema, BorrowerSchema
from restructure.access import ADMIN, CREDIT_OFFICER
from restructure.borrowers import BorrowerData, register_borrower

blp = Blueprint("borrowers", __name__, url_prefix="/api/v1/borrowers", description="Borrowers")


@blp.route("")
class Borrowers(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.arguments(BorrowerCreateSchema)
    @blp.response(201, BorrowerSchema)
    @documents_problems(blp, 409)
    def post(self, data: dict[str, Any]) -> Any:
        """Register a borrower (IIN checksum, Housing Law Art. 68 categories)."""
        data["vulnerable_categories"] = tuple(data["vulnerable_categories"])
        return register_borrower(uow(), BorrowerData(**data), today=today(), now=now())
