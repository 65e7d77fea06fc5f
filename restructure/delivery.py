"""SPEC §8 Periods run from delivery (LMF Art. 9-2 p.3, p.4): the counter-offer's 30 days and the ombudsman's 15
days run from the day the borrower received the decision.

The decision is sent electronically and shown in the cabinet on the concurrence day, which counts as received
unless the officer records a later delivery here; for an application that came by post the periods wait for this
record. A plain service function, so that an outbox can call it when a carrier reports delivery.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from restructure import workflow as wf
from restructure.access import Actor
from restructure.application_events import record_event
from restructure.errors import Conflict, InvalidInput, NotFound
from restructure.orm import Application
from restructure.uow import UnitOfWork

CHANNELS = ("cabinet", "post", "email", "sms", "office")


def _deliverable(app: Application) -> bool:
    """A concurred decision the borrower has not answered themselves (an answer shows it was received)."""
    if app.approved_on is None:
        return False
    if app.status == wf.AWAITING_BORROWER:
        return True
    return (app.status, app.decision_outcome) in ((wf.REFUSED, "refuse"), (wf.AGREED, "accept"))


def record_delivery(
    uow: UnitOfWork,
    actor: Actor | None,
    application_id: int,
    channel: str,
    delivered_on: date,
    *,
    today: date,
    now: datetime,
) -> Application:
    """Record the day the borrower received the decision; the response and ombudsman periods count from it."""
    errors: dict[str, list[str]] = {}
    if channel not in CHANNELS:
        errors["channel"] = [f"Must be one of: {', '.join(CHANNELS)}."]
    if delivered_on > today:
        errors["delivered_on"] = ["Cannot be in the future."]
    with uow:
        app = uow.session.scalars(
            select(Application).where(Application.id == application_id).with_for_update()
        ).first()
        if app is None:
            raise NotFound("Application not found.")
        if not _deliverable(app):
            raise Conflict(
                f"No concurred decision awaits delivery on an application in state '{app.status}'.",
                state=app.status,
            )
        assert app.approved_on is not None  # noqa: S101 - checked by _deliverable
        earliest = max(app.approved_on, app.delivered_on or app.approved_on)
        if delivered_on < earliest:
            errors.setdefault("delivered_on", []).append(
                f"Cannot be before {earliest} (the concurrence, or the delivery already recorded)."
            )
        if errors:
            raise InvalidInput("The delivery cannot be recorded.", errors)
        periods = wf.periods(app.received_on)
        before = {"delivered_on": app.delivered_on, "response_due_on": app.response_due_on,
                  "ombudsman_until": app.ombudsman_until}
        app.delivered_on, app.delivery_channel = delivered_on, channel
        if app.status == wf.AWAITING_BORROWER:
            response_due = wf.response_due_on(delivered_on, periods)
            # an extension already agreed beyond the new period stands
            app.response_due_on = max(response_due, app.response_due_on or response_due)
        elif app.status == wf.REFUSED:
            app.ombudsman_until = wf.ombudsman_until(delivered_on, periods)
        app.updated_at = now
        record_event(
            uow,
            app,
            "decision_delivered",
            actor,
            app.status,
            {
                "channel": channel,
                "delivered_on": delivered_on.isoformat(),
                "response_due_on": None if app.response_due_on is None else app.response_due_on.isoformat(),
                "ombudsman_until": None if app.ombudsman_until is None else app.ombudsman_until.isoformat(),
                "previous": {k: None if v is None else v.isoformat() for k, v in before.items()},
            },
            today=today,
            now=now,
        )
        uow.commit()
        return app
