"""The read side of the applications (SPEC §6, §7): one application, its trail, the rights officer's queue, and
the API's document of an application. Reads only; the commands are ``restructure/applications.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_

from restructure import application_events
from restructure import workflow as wf
from restructure.access import Actor, ensure_visible
from restructure.commands import VisibleRecords
from restructure.cursors import DueFilter, due_page
from restructure.decisions import read_decision
from restructure.errors import NotFound
from restructure.orm import Application
from restructure.uow import UnitOfWork
from rules.acceleration import early_repayment_demand_allowed
from rules.delinquency import in_statutory_window


def _visible(uow: UnitOfWork, actor: Actor, application_id: int) -> Application:
    app = uow.session.get(Application, application_id)
    if app is None:
        raise NotFound("Application not found.")
    ensure_visible(actor, app.borrower_id, "Application")
    return app


_RECORDS = VisibleRecords(_visible, application_events.TRAIL)
get = _RECORDS.get
events = _RECORDS.events


def queue(uow: UnitOfWork, where: DueFilter, *, today: date) -> tuple[list[Application], str | None]:
    """The rights officer's queue, earliest decision due date first, with cursor pagination."""
    running = [s for s in wf.UNDECIDED if wf.clock_running(s)]
    late = and_(Application.status.in_(running), Application.decision_due_on < today)
    return due_page(uow, Application, Application.decision_due_on, late, where)


def describe(app: Application, today: date) -> dict[str, Any]:
    """The API's ``Application``: stored fields plus the clocks as of ``today``."""
    stored = read_decision(app.decision)
    decision = None
    if stored is not None:
        decision = {
            "outcome": app.decision_outcome,
            "plan": stored.plan,
            "reasons": list(stored.reasons),
            "comment": stored.comment,
            "start_on": stored.start_on,
            "agreed_on": stored.agreed_on,
            "agreed_as": stored.agreed_as,
            "snapshot_as_of": stored.snapshot_as_of,
            "missing_documents": None if stored.missing_documents is None else list(stored.missing_documents),
            "proposed_by": app.proposed_by,
            "proposed_on": app.proposed_on,
            "approved_by": app.approved_by,
            "approved_on": app.approved_on,
            "timely": app.decision_timely,
        }
    return {
        "id": app.id,
        "loan_id": app.loan_id,
        "borrower_id": app.borrower_id,
        "status": app.status,
        "channel": app.channel,
        "language": app.language,
        "received_on": app.received_on,
        "decision_due_on": app.decision_due_on,
        "days_left": wf.days_left(app.status, app.decision_due_on, today),
        "overdue": wf.overdue(app.status, app.decision_due_on, today),
        "suspended": wf.suspended(app.status),
        "reasons": app.reasons,
        "statement": app.statement,
        "incomes": app.incomes,
        "documents": app.documents,
        "document_requests": app.document_requests,
        "assessment": app.assessment,
        "mandatory": app.mandatory,
        "requested_plan": app.requested_plan,
        "decision": decision,
        "response_due_on": app.response_due_on,
        "ombudsman_until": app.ombudsman_until,
        "delivered_on": app.delivered_on,
        "delivery_channel": app.delivery_channel,
        "closed_on": app.closed_on,
        "breach_recorded_on": app.breach_recorded_on,
        "in_statutory_window": in_statutory_window(app.overdue_since, app.received_on),
        "military_service_until": app.military_service_until,
        "early_repayment_demand_allowed": early_repayment_demand_allowed(under_review=wf.is_open(app.status)),
        "created_at": app.created_at,
        "updated_at": app.updated_at,
    }
