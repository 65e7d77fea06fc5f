"""Receipt of a hardship application (SPEC §6, §8 Conscripts): from the cabinet today, or by an officer with its
real receipt date; the assessment and the requested plan are stored with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from restructure import workflow as wf
from restructure.access import Actor, ensure_visible
from restructure.application_events import record_event
from restructure.application_records import plan_start
from restructure.documents import assessment_document, plan_document
from restructure.errors import Conflict, InvalidInput, NotFound
from restructure.evaluation import case_of, plan_of
from restructure.orm import Application, Borrower, Loan
from restructure.snapshots import (
    incomes_document,
    incomes_mapping,
    params_document,
    plan_params,
)
from restructure.uow import UnitOfWork
from rules.military import REASON as MILITARY_REASON


@dataclass(frozen=True)
class NewApplication:
    """What ``POST /applications`` carries, validated by its schema."""

    loan_id: int
    language: str
    reasons: tuple[str, ...]
    statement: str
    requested: Mapping[str, Any]
    incomes: Sequence[Mapping[str, Any]]
    channel: str | None = None
    received_on: date | None = None
    documents: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    military_service_until: date | None = None
    """SPEC §8 Conscripts: the service end date, with reason ``military_service`` only."""


def submit(uow: UnitOfWork, actor: Actor, data: NewApplication, *, today: date, now: datetime) -> Application:
    """Register an application: from the borrower's cabinet today, or by an officer with its real receipt date."""
    channel, received_on, errors = _receipt(actor, data, today)
    requested = plan_params(data.requested)
    with uow:
        loan = uow.session.get(Loan, data.loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        ensure_visible(actor, loan.borrower_id, "Loan")
        if received_on < loan.issued_on:
            errors["received_on"] = ["Cannot be before the loan was issued."]
        if errors:
            raise InvalidInput("The application cannot be registered.", errors)
        periods = wf.periods(received_on)
        borrower = uow.session.get(Borrower, loan.borrower_id)
        assert borrower is not None  # noqa: S101 - foreign key
        open_one = uow.session.scalar(
            select(Application.id).where(Application.loan_id == loan.id, Application.status.not_in(wf.FINAL))
        )
        if open_one is not None:
            raise Conflict(
                f"Loan already has an open application ({open_one}).",
                related={"application_id": open_one},
            )
        incomes = incomes_mapping(data.incomes)
        case = case_of(
            loan, borrower, incomes, received_on, requested, military_service_until=data.military_service_until
        )
        requested_plan = plan_of(case, requested, plan_start(loan, received_on))
        app = Application(
            loan_id=loan.id,
            borrower_id=loan.borrower_id,
            status=wf.RECEIVED,
            channel=channel,
            language=data.language,
            received_on=received_on,
            overdue_since=loan.overdue_since,
            military_service_until=data.military_service_until,
            decision_due_on=wf.decision_due_on(received_on, periods),
            reasons=list(dict.fromkeys(data.reasons)),
            statement=data.statement,
            requested=params_document(requested),
            incomes=incomes_document(incomes),
            documents=[dict(d) | {"received_on": received_on.isoformat()} for d in data.documents],
            assessment=assessment_document(case.assessment),
            mandatory=case.assessment.mandatory.applies,
            requested_plan=plan_document(requested_plan),
            document_requests=[],
            created_at=now,
            updated_at=now,
        )
        uow.session.add(app)
        uow.session.flush()
        record_event(
            uow,
            app,
            "received",
            actor,
            None,
            {
                "channel": channel,
                "received_on": received_on.isoformat(),
                "reasons": app.reasons,
                "mandatory": app.mandatory,
                "decision_due_on": app.decision_due_on.isoformat(),
            },
            today=today,
            now=now,
        )
        uow.commit()
        return app


def _receipt(actor: Actor, data: NewApplication, today: date) -> tuple[str, date, dict[str, list[str]]]:
    """The channel and the receipt date, with what is wrong with them."""
    errors: dict[str, list[str]] = {}
    if actor.is_borrower:
        channel = data.channel or "cabinet"
        if channel != "cabinet":
            errors["channel"] = ["A borrower applies through the cabinet."]
        if data.received_on not in (None, today):
            errors["received_on"] = ["A cabinet application is received today."]
        received_on = today
    else:
        channel = data.channel or ""
        if channel not in wf.CHANNELS or channel == "cabinet":
            errors["channel"] = ["An officer registers applications received by office, post, email or phone."]
        if data.received_on is None:
            errors["received_on"] = ["The date the application was received is required."]
        elif data.received_on > today:
            errors["received_on"] = ["Cannot be in the future."]
        received_on = data.received_on or today
    errors |= _military_errors(data, received_on)
    return channel, received_on, errors


def _military_errors(data: NewApplication, received_on: date) -> dict[str, list[str]]:
    """SPEC §8 Conscripts (LMF Art. 7 p.2 sub 11-2): the service end date comes with reason ``military_service``,
    and only with it, and is after the receipt."""
    called_up = MILITARY_REASON in data.reasons
    until = data.military_service_until
    if called_up and until is None:
        return {"military_service_until": ["Required with reason military_service: the day the service ends."]}
    if not called_up and until is not None:
        return {"military_service_until": ["Only with reason military_service."]}
    if until is not None and until <= received_on:
        return {"military_service_until": [f"Must be after received_on ({received_on.isoformat()})."]}
    return {}


