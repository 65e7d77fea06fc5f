"""Registering a complaint from any channel (SPEC §9 Intake; ACF 3, 5.4-5.5; client-rights policy p.54-56)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from restructure import complaints_workflow as cw
from restructure.access import Actor
from restructure.complaints_events import record_event
from restructure.complaints_numbering import INCOMING, next_number
from restructure.complaints_orm import Complaint
from restructure.errors import InvalidInput, NotFound
from restructure.orm import Application, Borrower
from restructure.uow import UnitOfWork
from rules import complaints as rules
from rules.errors import NoRuleSetInForce


@dataclass(frozen=True)
class NewComplaint:
    """What ``POST /complaints`` carries, validated by its schema."""

    kind: str
    channel: str
    language: str
    text: str
    category: str | None = None
    received_on: date | None = None
    borrower_id: int | None = None
    applicant: Mapping[str, Any] | None = None
    representative: Mapping[str, Any] | None = None
    application_id: int | None = None
    reports_crime: bool = False
    forwarded_on: date | None = None


def _dates(actor: Actor, data: NewComplaint, today: date, errors: dict[str, list[str]]) -> date:
    if actor.is_borrower:
        if data.channel != "cabinet":
            errors["channel"] = ["A borrower files a complaint through the cabinet."]
        if data.received_on not in (None, today):
            errors["received_on"] = ["A cabinet complaint is received today."]
        if data.borrower_id not in (None, actor.borrower_id):
            errors["borrower_id"] = ["A borrower files only their own complaints."]
        if data.forwarded_on is not None:
            errors["forwarded_on"] = ["A cabinet complaint is not forwarded by a branch."]
        return today
    if data.channel not in cw.STAFF_CHANNELS:
        errors["channel"] = [f"Staff register complaints received by: {', '.join(cw.STAFF_CHANNELS)}."]
    if data.received_on is None:
        errors["received_on"] = ["The date the complaint was received is required."]
        return today
    if data.received_on > today:
        errors["received_on"] = ["Cannot be in the future."]
    if data.forwarded_on is not None and not data.received_on <= data.forwarded_on <= today:
        errors["forwarded_on"] = ["Must be between the receipt date and today."]
    return data.received_on


def _representative(raw: Mapping[str, Any] | None, errors: dict[str, list[str]]) -> dict[str, Any] | None:
    """ACF 1.4.4: a representative acts on a power of attorney, except when the client is present."""
    if raw is None:
        return None
    rep = dict(raw)
    if not rep.get("client_present") and not str(rep.get("document") or "").strip():
        errors["representative.document"] = ["A representative needs a power of attorney (its number)."]
    return rep


def register(uow: UnitOfWork, actor: Actor, data: NewComplaint, *, today: date, now: datetime) -> Complaint:
    """Register a complaint: number ``IN-YYYY-NNNNNN``, receipt date, clocks from the rules in force."""
    errors: dict[str, list[str]] = {}
    received_on = _dates(actor, data, today, errors)
    if not data.text.strip():
        errors["text"] = ["Must not be empty."]
    representative = _representative(data.representative, errors)
    borrower_id = actor.borrower_id if actor.is_borrower else data.borrower_id
    applicant = None if data.applicant is None else dict(data.applicant)
    anonymous = borrower_id is None and applicant is None
    try:
        ruleset = rules.complaint_rules_for(received_on)
    except NoRuleSetInForce:
        first = rules.all_complaint_rules()[0]
        errors["received_on"] = [f"No complaint rules before {first.effective_from.isoformat()}."]
        ruleset = first
    with uow:
        if borrower_id is not None and uow.session.get(Borrower, borrower_id) is None:
            errors["borrower_id"] = [f"No borrower with id {borrower_id}."]
        if data.application_id is not None:
            application = uow.session.get(Application, data.application_id)
            if application is None or (actor.is_borrower and application.borrower_id != actor.borrower_id):
                if actor.is_borrower:
                    raise NotFound("Application not found.")
                errors["application_id"] = [f"No application with id {data.application_id}."]
            elif borrower_id is not None and application.borrower_id != borrower_id:
                errors["application_id"] = ["The application belongs to another borrower."]
        if errors:
            raise InvalidInput("The complaint cannot be registered.", errors)
        forwarded = rules.forwarded_to_authorities(anonymous=anonymous, reports_crime=data.reports_crime)
        complaint = Complaint(
            number=next_number(uow, INCOMING, received_on.year),
            kind=data.kind,
            channel=data.channel,
            language=data.language,
            status=cw.REGISTERED,
            text=data.text.strip(),
            category=data.category,
            received_on=received_on,
            answer_due_on=rules.answer_due_on(ruleset, received_on, outside_information=False, extension_days=0),
            rule_set=ruleset.id,
            anonymous=anonymous,
            reports_crime=data.reports_crime,
            forwarded_to_authorities=forwarded,
            borrower_id=borrower_id,
            applicant=applicant,
            representative=representative,
            application_id=data.application_id,
            forwarded_on=data.forwarded_on,
            forwarding_late=rules.forwarding_late(ruleset, received_on, data.forwarded_on),
            outside_information=False,
            information_requests=[],
            registered_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(complaint)
        uow.session.flush()
        payload: dict[str, Any] = {"number": complaint.number, "channel": data.channel, "kind": data.kind}
        if complaint.forwarding_late:
            payload["forwarding_late"] = True
        if forwarded:
            payload["forwarded_to_authorities"] = True
        record_event(uow, complaint, "registered", actor, None, payload, today=today, now=now)
        uow.commit()
        return complaint
