"""Reading the complaint register: one complaint, the register (keyset pages by answer due date), the trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, select

from restructure import complaints_events
from restructure import complaints_workflow as cw
from restructure.access import Actor, ensure_visible
from restructure.commands import VisibleRecords
from restructure.complaints_orm import Complaint
from restructure.cursors import DueFilter, due_page
from restructure.errors import NotFound
from restructure.uow import UnitOfWork
from rules import complaints as rules


def _visible(uow: UnitOfWork, actor: Actor, complaint_id: int) -> Complaint:
    complaint = uow.session.get(Complaint, complaint_id)
    if complaint is None or (actor.is_borrower and complaint.borrower_id is None):
        raise NotFound("Complaint not found.")
    if complaint.borrower_id is not None:
        ensure_visible(actor, complaint.borrower_id, "Complaint")
    return complaint


_RECORDS = VisibleRecords(_visible, complaints_events.TRAIL)
get = _RECORDS.get
events = _RECORDS.events


def of_borrower(uow: UnitOfWork, borrower_id: int) -> list[Complaint]:
    """A borrower's complaints, newest first (the cabinet)."""
    with uow:
        return list(
            uow.session.scalars(
                select(Complaint).where(Complaint.borrower_id == borrower_id).order_by(Complaint.id.desc())
            )
        )


def register_page(uow: UnitOfWork, where: DueFilter, *, today: date) -> tuple[list[Complaint], str | None]:
    """The register, earliest answer due date first; keyset pages on (``answer_due_on``, ``id``)."""
    late = and_(Complaint.status.in_(cw.AWAITING_ANSWER), Complaint.answer_due_on < today)
    return due_page(uow, Complaint, Complaint.answer_due_on, late, where)


def _extension(c: Complaint, today: date) -> dict[str, Any] | None:
    if not c.extension:
        return None
    ext = c.extension
    decided = date.fromisoformat(ext["decided_on"])
    sent = date.fromisoformat(ext["notice_sent_on"]) if ext.get("notice_sent_on") else None
    late = rules.extension_notice_late(rules.complaint_rules_for(c.received_on), decided, sent, today)
    return {
        "days": ext["days"],
        "reason": ext["reason"],
        "decided_on": decided,
        "notice_sent_on": sent,
        "notice_due_on": date.fromisoformat(ext["notice_due_on"]),
        "notice_late": late,
    }


def describe(c: Complaint, today: date) -> dict[str, Any]:
    """The API's ``Complaint``: stored fields plus the clocks as of ``today``."""
    answer = None
    if c.answer is not None:
        answer = {
            "outcome": c.answer.get("outcome"),
            "text": c.answer.get("text", ""),
            "lender_actions": c.answer.get("lender_actions", ""),
            "client_actions": c.answer.get("client_actions", ""),
            "references": c.answer.get("references", []),
            "outgoing_number": c.outgoing_number,
            "sent_on": c.sent_on if c.status in (cw.ANSWERED, cw.CLOSED) else None,
            "timely": c.timely if c.outgoing_number else None,
        }
    refusal = None
    if c.refusal is not None:
        refusal = {
            "reason": c.refusal["reason"],
            "comment": c.refusal["comment"],
            "refused_on": date.fromisoformat(c.refusal["refused_on"]),
            "timely": c.refusal["timely"],
        }
    return {
        "id": c.id,
        "number": c.number,
        "kind": c.kind,
        "channel": c.channel,
        "language": c.language,
        "status": c.status,
        "text": c.text,
        "received_on": c.received_on,
        "answer_due_on": c.answer_due_on,
        "days_left": cw.days_left(c.status, c.answer_due_on, today),
        "overdue": cw.overdue(c.status, c.answer_due_on, today),
        "anonymous": c.anonymous,
        "reports_crime": c.reports_crime,
        "forwarded_to_authorities": c.forwarded_to_authorities,
        "borrower_id": c.borrower_id,
        "applicant": c.applicant,
        "representative": c.representative,
        "application_id": c.application_id,
        "category": c.category,
        "forwarded_on": c.forwarded_on,
        "forwarding_late": c.forwarding_late,
        "outside_information": c.outside_information,
        "unit": c.unit,
        "handler": c.handler,
        "information_requests": c.information_requests,
        "extension": _extension(c, today),
        "answer": answer,
        "refusal": refusal,
        "summary": c.summary,
        "closed_on": c.closed_on,
        "breach_recorded_on": c.breach_recorded_on,
        "rule_set": c.rule_set,
    }
