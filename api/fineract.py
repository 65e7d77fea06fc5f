"""Apache Fineract: an agreed plan as the body of Fineract's ``POST /rescheduleloans`` (the import is in imports)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from api.auth import requires
from api.errors import documents_problems
from api.runtime import uow
from restructure.access import STAFF
from restructure.fineract import reschedule_for_application

blp = Blueprint(
    "fineract", __name__, url_prefix="/api/v1/applications", description="Apache Fineract reschedule requests"
)


class RescheduleArgsSchema(ma.Schema):
    reschedule_reason_id = fields.Integer(
        required=True,
        validate=validate.Range(min=1),
        metadata={"description": "The id of the LoanRescheduleReason code value in the lender's Fineract"},
    )


class RescheduleRequestSchema(ma.Schema):
    """Fineract's PostCreateRescheduleLoansRequest."""

    class Meta:
        ordered = True

    loanId = fields.Integer(required=True)  # noqa: N815 - Fineract's names
    rescheduleFromDate = fields.String(required=True)  # noqa: N815
    adjustedDueDate = fields.String()  # noqa: N815
    graceOnPrincipal = fields.Integer()  # noqa: N815
    graceOnInterest = fields.Integer()  # noqa: N815
    extraTerms = fields.Integer()  # noqa: N815
    newInterestRate = fields.Float()  # noqa: N815
    rescheduleReasonId = fields.Integer(required=True)  # noqa: N815
    rescheduleReasonComment = fields.String()  # noqa: N815
    submittedOnDate = fields.String(required=True)  # noqa: N815
    dateFormat = fields.String(required=True)  # noqa: N815
    locale = fields.String(required=True)


@blp.route("/<int(min=1, max=2147483647):application_id>/fineract-reschedule")
class FineractReschedule(MethodView):
    @requires(blp, *STAFF)
    @blp.arguments(RescheduleArgsSchema, location="query")
    @blp.response(200, RescheduleRequestSchema)
    @documents_problems(blp, 404, 409, 422)
    def get(self, args: dict[str, Any], application_id: int) -> Any:
        """The body of Fineract's POST /rescheduleloans for the agreed plan."""
        return reschedule_for_application(uow(), application_id, reason_id=args["reschedule_reason_id"])
