"""Documents: the lender's request, which suspends the clock, and their arrival, which restarts it (SPEC §6, §8;
policy p.67-p.75)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from restructure import workflow as wf
from restructure.access import Actor
from restructure.application_events import transition
from restructure.application_records import case_for, loan_and_borrower, locked, plan_start
from restructure.commands import command
from restructure.documents import assessment_document, plan_document
from restructure.errors import Conflict, InvalidInput
from restructure.evaluation import plan_of
from restructure.orm import Application
from restructure.snapshots import (
    plan_params,
)
from restructure.uow import UnitOfWork


def request_documents(
    uow: UnitOfWork,
    actor: Actor,
    application_id: int,
    *,
    items: Sequence[str],
    respond_by: date,
    today: date,
    now: datetime,
) -> Application:
    """Ask the borrower for documents; review is suspended until they arrive (policy p.67, p.75)."""
    if respond_by < today:
        raise InvalidInput("The answer date has passed.", {"respond_by": ["Cannot be before today."]})
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "request_documents") as app:
        _ensure_request_allowed(app, today)
        request = {
            "items": list(items),
            "respond_by": respond_by.isoformat(),
            "requested_on": today.isoformat(),
            "requested_by": actor.user_id,
        }
        app.document_requests = [*app.document_requests, request]
        transition(uow, app, wf.AWAITING_DOCUMENTS, "documents_requested", actor, request, today=today, now=now)
    return app


def _ensure_request_allowed(app: Application, today: date) -> None:
    """SPEC §8: a request cannot restart a clock already breached; one request, a second only while awaiting."""
    if wf.clock_running(app.status) and today > app.decision_due_on:
        raise Conflict(
            f"The decision was due on {app.decision_due_on}; a document request after that day cannot restart "
            "the clock. Decide on what was provided.",
            state=app.status,
        )
    if app.document_requests and app.status != wf.AWAITING_DOCUMENTS:
        raise Conflict(
            "Documents were already requested once and provided; a second request is allowed only while the "
            "answer to the first is awaited (an incomplete answer).",
            state=app.status,
        )


def receive_documents(
    uow: UnitOfWork,
    actor: Actor,
    application_id: int,
    *,
    items: Sequence[str],
    received_on: date | None,
    today: date,
    now: datetime,
) -> Application:
    """Record the requested documents; the decision is now due 15 days after they arrived (policy p.68, p.72)."""
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "receive_documents") as app:
        if actor.is_borrower:
            if received_on not in (None, today):
                raise InvalidInput("Documents from the cabinet arrive today.", {"received_on": ["Must be today."]})
            arrived = today
        else:
            if received_on is None:
                raise InvalidInput("The date the documents arrived is required.", {"received_on": ["Required."]})
            arrived = received_on
        requested_on = date.fromisoformat(app.document_requests[-1]["requested_on"])
        if arrived > today or arrived < requested_on:
            raise InvalidInput(
                "The documents cannot have arrived then.",
                {"received_on": [f"Must fall between the request ({requested_on}) and today ({today})."]},
            )
        app.documents = [*app.documents, *({"name": item, "received_on": arrived.isoformat()} for item in items)]
        previous_due = app.decision_due_on
        app.decision_due_on = wf.decision_due_on(arrived, wf.periods(app.received_on))
        _reassess(uow, app)
        transition(
            uow,
            app,
            wf.UNDER_REVIEW,
            "documents_received",
            actor,
            {
                "items": list(items),
                "received_on": arrived.isoformat(),
                "previous_due_on": previous_due.isoformat(),
                "decision_due_on": app.decision_due_on.isoformat(),
                "mandatory": app.mandatory,
            },
            today=today,
            now=now,
        )
    return app


def _reassess(uow: UnitOfWork, app: Application) -> None:
    """SPEC §8: the facts behind the mandatory finding are assessed again when the documents arrive."""
    loan, borrower = loan_and_borrower(uow, app)
    requested = plan_params(app.requested)
    case = case_for(loan, borrower, app)
    requested_plan = plan_of(case, requested, plan_start(loan, app.received_on))
    app.assessment = assessment_document(case.assessment)
    app.mandatory = case.assessment.mandatory.applies
    app.requested_plan = plan_document(requested_plan)


def missing_documents(app: Application) -> list[str]:
    """The requested items that have not arrived (a document counts when it arrived on or after the request)."""
    if not app.document_requests:
        return []
    first = min(date.fromisoformat(r["requested_on"]) for r in app.document_requests)
    arrived = {d.get("name") for d in app.documents if date.fromisoformat(d["received_on"]) >= first}
    asked = dict.fromkeys(item for r in app.document_requests for item in r.get("items", []))
    return [item for item in asked if item not in arrived]


