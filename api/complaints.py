"""The complaint register (SPEC §9): intake from every channel, the clocks, the workflow, the trail, the letters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from api import complaint_letters
from api.auth import current_actor, requires
from api.errors import documents_problems
from api.runtime import now, today, uow
from api.schemas.applications import EventListSchema
from api.schemas.complaints import (
    AnswerSchema,
    AssignmentSchema,
    ClosureSchema,
    ComplaintAnswerQuerySchema,
    ComplaintCreateSchema,
    ComplaintExtensionSchema,
    ComplaintPageSchema,
    ComplaintQueryArgsSchema,
    ComplaintSchema,
    ComplaintWithdrawalSchema,
    InformationRequestSchema,
    LegalReviewSchema,
    RefusalSchema,
    SignatureSchema,
)
from api.schemas.fields import queue_args
from restructure import complaints as service
from restructure import complaints_views as views
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, DIRECTOR, LAWYER, RIGHTS_OFFICER
from restructure.complaints_intake import NewComplaint, register

blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints", description="The complaint register")
ID = "/<int(min=1, max=2147483647):complaint_id>"
F = TypeVar("F", bound=Callable[..., Any])
REGISTRARS = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
STAFF = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN, LAWYER, DIRECTOR)


def _errors(*statuses: int) -> Callable[[F], F]:
    return documents_problems(blp, *statuses)


def _out(complaint: Any) -> dict[str, Any]:
    return views.describe(complaint, today())


@blp.route("")
class Complaints(MethodView):
    @requires(blp, BORROWER, *REGISTRARS)
    @blp.arguments(ComplaintCreateSchema)
    @blp.response(201, ComplaintSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any]) -> Any:
        """File (borrower, cabinet) or register (staff, any other channel) a complaint, appeal or suggestion."""
        return _out(register(uow(), current_actor(), NewComplaint(**data), today=today(), now=now()))

    @requires(blp, *STAFF)
    @blp.arguments(ComplaintQueryArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ComplaintPageSchema)
    @_errors(422)
    def get(self, args: dict[str, Any]) -> Any:
        """The register, earliest answer due date first (filters: status, overdue, due_before; keyset pages)."""
        items, cursor = views.register_page(uow(), queue_args(args), today=today())
        return {"items": [_out(c) for c in items], "next_cursor": cursor}


@blp.route(ID)
class ComplaintById(MethodView):
    @requires(blp, BORROWER, *STAFF)
    @blp.response(200, ComplaintSchema)
    @_errors(404)
    def get(self, complaint_id: int) -> Any:
        """One complaint with its clocks; a borrower sees only their own."""
        return _out(views.get(uow(), current_actor(), complaint_id))


def _command(path: str, roles: tuple[str, ...], schema: type[ma.Schema], run: Callable[..., Any], doc: str) -> None:
    def post(self: MethodView, data: dict[str, Any], complaint_id: int) -> Any:
        return _out(run(uow(), current_actor(), complaint_id, **data, today=today(), now=now()))

    post.__doc__ = doc
    view = requires(blp, *roles)(blp.arguments(schema)(blp.response(200, ComplaintSchema)(_errors(404, 409)(post))))
    blp.route(f"{ID}/{path}")(type(f"Complaint_{path.replace('-', '_')}", (MethodView,), {"post": view}))


_command(
    "refusal",
    (RIGHTS_OFFICER,),
    RefusalSchema,
    service.refuse,
    "Refuse on the merits with a reason code; the client is told why.",
)
_command(
    "assignment",
    (RIGHTS_OFFICER, DIRECTOR),
    AssignmentSchema,
    service.assign,
    "Assign a unit and a handler: the complaint is in progress.",
)
_command(
    "information-requests",
    (RIGHTS_OFFICER,),
    InformationRequestSchema,
    service.request_information,
    "Ask a unit for information by a due date; outside information moves the answer to day 30.",
)
_command(
    "extension",
    (DIRECTOR,),
    ComplaintExtensionSchema,
    service.extend,
    "Extend the answer period once, by at most 30 days (director); the client is told within 3 days.",
)
_command(
    "legal-review",
    (LAWYER,),
    LegalReviewSchema,
    service.legal_review,
    "The lawyer approves the draft or returns it to the handler.",
)
_command(
    "signature",
    (DIRECTOR,),
    SignatureSchema,
    service.sign,
    "The director signs: outgoing number, sent date, timely or late.",
)
_command("closure", (RIGHTS_OFFICER,), ClosureSchema, service.close, "Close with a summary of the decision.")
_command(
    "withdrawal",
    (BORROWER,),
    ComplaintWithdrawalSchema,
    service.withdraw,
    "The client withdraws the complaint (before the answer).",
)


@blp.route(f"{ID}/events")
class ComplaintEvents(MethodView):
    @requires(blp, BORROWER, *STAFF)
    @blp.response(200, EventListSchema)
    @_errors(404)
    def get(self, complaint_id: int) -> Any:
        """The append-only trail of every transition, oldest first."""
        return {"items": views.events(uow(), current_actor(), complaint_id)}


@blp.route(f"{ID}/answer")
class ComplaintAnswer(MethodView):
    @requires(blp, BORROWER, *STAFF)
    @blp.arguments(ComplaintAnswerQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description="The answer letter as HTML (default) or PDF", content_type="text/html")
    @_errors(404, 406, 409)
    def get(self, args: dict[str, Any], complaint_id: int) -> Any:
        """The answer, the thank-you letter or the refusal, in the complaint's language (or ``lang``)."""
        complaint = views.get(uow(), current_actor(), complaint_id)
        return complaint_letters.response(complaint, args.get("lang"))

    @requires(blp, RIGHTS_OFFICER)
    @blp.arguments(AnswerSchema)
    @blp.response(200, ComplaintSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], complaint_id: int) -> Any:
        """Draft the reasoned answer: outcome, the lender's and the client's actions, the references."""
        return _out(service.draft_answer(uow(), current_actor(), complaint_id, answer=data, today=today(), now=now()))
