"""Hardship applications: receipt, documents, decision, concurrence, the borrower's answer, the trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from api import notices as rendering
from api.auth import current_actor, requires
from api.errors import documents_problems
from api.rule_texts import localise
from api.runtime import now, today, uow
from api.schemas import applications as schemas
from api.schemas.fields import queue_args
from restructure import application_views as views
from restructure import applications as service
from restructure import delivery as delivery_service
from restructure import notices as notice_service
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, STAFF

blp = Blueprint("applications", __name__, url_prefix="/api/v1/applications", description="Hardship applications")
ID = "/<int(min=1, max=2147483647):application_id>"
F = TypeVar("F", bound=Callable[..., Any])


def _errors(*statuses: int) -> Callable[[F], F]:
    return documents_problems(blp, *statuses)


def _out(app: Any) -> dict[str, Any]:
    """The application in the API's shape, its rules, steps and violations worded in the application's language."""
    return localise(views.describe(app, today()), app.language)  # type: ignore[no-any-return]


@blp.route("")
class Applications(MethodView):
    @requires(blp, BORROWER, CREDIT_OFFICER)
    @blp.arguments(schemas.ApplicationCreateSchema)
    @blp.response(201, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any]) -> Any:
        """Submit (borrower, cabinet) or register (officer, with the receipt date) an application."""
        data["reasons"] = tuple(data["reasons"])
        return _out(service.submit(uow(), current_actor(), service.NewApplication(**data), today=today(), now=now()))

    @requires(blp, *STAFF)
    @blp.arguments(schemas.ApplicationQueryArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, schemas.ApplicationPageSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The queue, earliest decision due date first (filters: status, overdue, due_before)."""
        items, next_cursor = views.queue(uow(), queue_args(args), today=today())
        return {"items": [_out(a) for a in items], "next_cursor": next_cursor}


@blp.route(ID)
class ApplicationById(MethodView):
    @requires(blp, BORROWER, *STAFF)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404)
    def get(self, application_id: int) -> Any:
        """One application with its clocks; a borrower sees only their own."""
        return _out(views.get(uow(), current_actor(), application_id))


@blp.route(f"{ID}/document-requests")
class DocumentRequests(MethodView):
    @requires(blp, CREDIT_OFFICER)
    @blp.arguments(schemas.DocumentRequestCreateSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Ask the borrower for documents: review is suspended until they arrive."""
        return _out(service.request_documents(uow(), current_actor(), application_id, **data, today=today(), now=now()))


@blp.route(f"{ID}/documents")
class Documents(MethodView):
    @requires(blp, BORROWER, CREDIT_OFFICER)
    @blp.arguments(schemas.DocumentsReceivedSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Record the requested documents; the decision is then due 15 days after they arrived."""
        return _out(
            service.receive_documents(
                uow(),
                current_actor(),
                application_id,
                items=data["items"],
                received_on=data.get("received_on"),
                today=today(),
                now=now(),
            )
        )


@blp.route(f"{ID}/decision")
class Decision(MethodView):
    @requires(blp, CREDIT_OFFICER)
    @blp.arguments(schemas.DecisionCreateSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Propose accept, a counter-offer (a feasible plan) or a reasoned refusal."""
        proposal = service.Proposal(
            outcome=data["outcome"],
            plan=data.get("plan"),
            reasons=tuple(data["reasons"]),
            comment=data["comment"],
            start_on=data.get("start_on"),
        )
        return _out(service.propose(uow(), current_actor(), application_id, proposal, today=today(), now=now()))


@blp.route(f"{ID}/approval")
class Approval(MethodView):
    @requires(blp, RIGHTS_OFFICER)
    @blp.arguments(schemas.ApprovalSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Concur with the proposed decision (it takes effect) or return it with a comment."""
        return _out(service.concur(uow(), current_actor(), application_id, **data, today=today(), now=now()))


@blp.route(f"{ID}/response")
class Response(MethodView):
    @requires(blp, BORROWER)
    @blp.arguments(schemas.ResponseSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Accept or decline a counter-offer within its response period."""
        return _out(service.respond(uow(), current_actor(), application_id, **data, today=today(), now=now()))


@blp.route(f"{ID}/extension")
class Extension(MethodView):
    @requires(blp, CREDIT_OFFICER)
    @blp.arguments(schemas.ExtensionSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Record a response period extended by agreement with the borrower."""
        return _out(service.extend(uow(), current_actor(), application_id, **data, today=today(), now=now()))


@blp.route(f"{ID}/delivery")
class Delivery(MethodView):
    @requires(blp, CREDIT_OFFICER)
    @blp.arguments(schemas.DeliverySchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Record the day the borrower received the decision: the response and ombudsman periods run from it."""
        return _out(
            delivery_service.record_delivery(
                uow(), current_actor(), application_id, data["channel"], data["delivered_on"], today=today(), now=now()
            )
        )


@blp.route(f"{ID}/withdrawal")
class Withdrawal(MethodView):
    @requires(blp, BORROWER)
    @blp.arguments(schemas.WithdrawalSchema)
    @blp.response(200, schemas.ApplicationSchema)
    @_errors(404, 409)
    def post(self, data: dict[str, Any], application_id: int) -> Any:
        """Withdraw the application (any time before a final state)."""
        return _out(service.withdraw(uow(), current_actor(), application_id, **data, today=today(), now=now()))


@blp.route(f"{ID}/events")
class Events(MethodView):
    @requires(blp, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.response(200, schemas.EventListSchema)
    @_errors(404)
    def get(self, application_id: int) -> Any:
        """The append-only trail of every transition, oldest first."""
        return {"items": views.events(uow(), current_actor(), application_id)}


_NOTICE_DESCRIPTION = "The notice as HTML (default) or PDF, by the Accept header"
_NOTICE_CONTENT = {
    rendering.HTML: {"schema": {"type": "string"}},
    rendering.PDF: {"schema": {"type": "string", "format": "binary"}},
}


@blp.route(f"{ID}/notice")
class Notice(MethodView):
    @requires(blp, BORROWER, *STAFF)
    @blp.arguments(schemas.NoticeQueryArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, description=_NOTICE_DESCRIPTION, content_type=rendering.HTML)
    @blp.doc(responses={"200": {"description": _NOTICE_DESCRIPTION, "content": _NOTICE_CONTENT}})
    @_errors(404, 406, 409)
    def get(self, args: dict[str, Any], application_id: int) -> Any:
        """The borrower's notice in the application's language (or ``lang``), as HTML or PDF."""
        media_type = rendering.negotiate()
        notice = notice_service.notice(uow(), current_actor(), application_id, kind=args.get("kind"))
        return rendering.response(notice, args.get("lang") or notice.language, media_type)
