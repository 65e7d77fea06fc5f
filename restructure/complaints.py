"""Complaint workflow commands (SPEC §9; ACF 5-7; client-rights policy p.54-61). Registration lives in
``complaints_intake``; reads in ``complaints_views``.

Each command locks the complaint's row (``SELECT … FOR UPDATE`` on PostgreSQL) and the version column rejects a lost
update, so two racing transitions give exactly one winner; the event is written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from restructure import complaints_workflow as cw
from restructure.access import Actor, ensure_visible
from restructure.commands import command
from restructure.complaints_events import transition
from restructure.complaints_numbering import OUTGOING, next_number
from restructure.complaints_orm import Complaint
from restructure.errors import Conflict, InvalidInput, NotFound, SamePerson
from restructure.uow import UnitOfWork
from restructure.users import same_person
from rules import complaints as rules


def locked(uow: UnitOfWork, actor: Actor, complaint_id: int) -> Complaint:
    """The complaint, row-locked for this transaction; a borrower's view of another's complaint is a 404."""
    complaint = uow.session.scalars(
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if complaint is None or (actor.is_borrower and complaint.borrower_id is None):
        raise NotFound("Complaint not found.")
    if complaint.borrower_id is not None:
        ensure_visible(actor, complaint.borrower_id, "Complaint")
    return complaint


def _ruleset(complaint: Complaint) -> rules.ComplaintRules:
    return rules.complaint_rules_for(complaint.received_on)


def _recompute_due(complaint: Complaint) -> None:
    days = int(complaint.extension["days"]) if complaint.extension else 0
    complaint.answer_due_on = rules.answer_due_on(
        _ruleset(complaint),
        complaint.received_on,
        outside_information=complaint.outside_information,
        extension_days=days,
    )


def _not_before_receipt(complaint: Complaint, field: str, day: date, today: date) -> None:
    if day > today:
        raise InvalidInput(f"{field} cannot be in the future.", {field: ["Cannot be in the future."]})
    if day < complaint.received_on:
        raise InvalidInput(f"{field} cannot precede the receipt.", {field: ["Cannot be before received_on."]})


def assign(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    unit: str,
    handler: str | None = None,
    today: date,
    now: datetime,
) -> Complaint:
    """ACF 5.7: assign a responsible unit (and a handler) → ``in_progress``."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "assign") as c:
        c.unit, c.handler = unit.strip(), (handler or "").strip() or None
        transition(
            uow, c, cw.IN_PROGRESS, "assigned", actor, {"unit": c.unit, "handler": c.handler}, today=today, now=now
        )
    return c


def request_information(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    unit: str,
    items: Sequence[str],
    due_on: date,
    outside_information: bool,
    reason: str = "",
    today: date,
    now: datetime,
) -> Complaint:
    """ACF 5.8, 6.1: ask a unit for information by its own due date; outside information moves the answer to
    ``received_on + 30``, chosen only while the first 15 days run (else 409)."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "request_information") as c:
        if due_on < today:
            raise InvalidInput("The due date has passed.", {"due_on": ["Cannot be in the past."]})
        ruleset = _ruleset(c)
        if outside_information and not c.outside_information:
            until = rules.outside_information_until(ruleset, c.received_on)
            if today > until:
                raise Conflict(
                    f"The 30-day period for outside information can only be set until {until.isoformat()}"
                    f" ({ruleset.cite('outside_information_set_within_days')}).",
                    state=c.status,
                    related={"rule": rules.R_COMPLAINT_OUTSIDE_INFO, "until": until.isoformat()},
                )
            c.outside_information = True
            _recompute_due(c)
        request = {
            "unit": unit,
            "items": list(items),
            "due_on": due_on.isoformat(),
            "requested_on": today.isoformat(),
            "outside_information": outside_information,
            "reason": reason,
        }
        c.information_requests = [*c.information_requests, request]
        payload = {**request, "answer_due_on": c.answer_due_on.isoformat()}
        transition(uow, c, c.status, "information_requested", actor, payload, today=today, now=now)
    return c


def extend(
    uow: UnitOfWork,
    actor: Actor,
    complaint_id: int,
    *,
    days: int,
    reason: str,
    decided_on: date | None = None,
    notice_sent_on: date | None = None,
    today: date,
    now: datetime,
) -> Complaint:
    """ACF 6.1 (third point): one extension of at most 30 days by the director; the client is told within 3 days,
    else the extension is flagged ``extension_notice_late``."""
    decided = decided_on or today
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "extend") as c:
        ruleset = _ruleset(c)
        broken = rules.extension_error(ruleset, days, 1 if c.extension else 0)
        if broken == "extensions_allowed":
            raise Conflict(
                f"The answer period was already extended once ({ruleset.cite('extensions_allowed')}).",
                state=c.status,
                related={"rule": rules.R_COMPLAINT_EXTENSION},
            )
        if broken == "extension_max_days":
            raise InvalidInput(
                "Too long an extension.", {"days": [f"Between 1 and {ruleset.extension_max_days} days."]}
            )
        _not_before_receipt(c, "decided_on", decided, today)
        if decided > c.answer_due_on:
            raise Conflict(
                f"The answer was due on {c.answer_due_on.isoformat()}: a period that has run out cannot be extended.",
                state=c.status,
                related={"rule": rules.R_COMPLAINT_EXTENSION},
            )
        if notice_sent_on is not None:
            if notice_sent_on < decided or notice_sent_on > today:
                raise InvalidInput("Invalid notice date.", {"notice_sent_on": ["Between decided_on and today."]})
        c.extension = {
            "days": days,
            "reason": reason,
            "decided_on": decided.isoformat(),
            "notice_sent_on": None if notice_sent_on is None else notice_sent_on.isoformat(),
            "notice_due_on": rules.extension_notice_due_on(ruleset, decided).isoformat(),
        }
        _recompute_due(c)
        c.unsent_notice_due_on = None if notice_sent_on else rules.extension_notice_due_on(ruleset, decided)
        late = rules.extension_notice_late(ruleset, decided, notice_sent_on, today)
        if late:
            c.notice_late_recorded_on = today
        payload = {**c.extension, "answer_due_on": c.answer_due_on.isoformat(), "notice_late": late}
        transition(uow, c, c.status, "extended", actor, payload, today=today, now=now)
    return c


def draft_answer(
    uow: UnitOfWork, actor: Actor, complaint_id: int, *, answer: dict[str, Any], today: date, now: datetime
) -> Complaint:
    """ACF 5.9-5.10, 7.3; client-rights policy p.59-60: a reasoned answer — the outcome, what the lender does,
    what the client must do, and the references."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "draft") as c:
        if c.kind != "suggestion" and not answer.get("outcome"):
            raise InvalidInput("The answer needs an outcome.", {"outcome": ["Required for a complaint or appeal."]})
        c.answer = {**answer, "outcome": answer.get("outcome") or None, "drafted_on": today.isoformat()}
        c.outcome = c.answer["outcome"]
        c.drafted_by = actor.user_id
        transition(uow, c, cw.ANSWER_DRAFTED, "answer_drafted", actor, {"outcome": c.outcome}, today=today, now=now)
    return c


def legal_review(
    uow: UnitOfWork, actor: Actor, complaint_id: int, *, verdict: str, comment: str, today: date, now: datetime
) -> Complaint:
    """ACF 5.11: the lawyer approves the draft or returns it to the handler."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "review") as c:
        if same_person(uow, actor, c.drafted_by):  # duties separated by person (SPEC §8), not by account
            raise SamePerson("The person who drafted the answer cannot also review it, with any of their accounts.")
        if verdict == "return" and not comment.strip():
            raise InvalidInput("Say why the draft is returned.", {"comment": ["Required when returning."]})
        c.reviewed_by = actor.user_id if verdict == "approve" else None
        to = cw.LEGAL_REVIEWED if verdict == "approve" else cw.IN_PROGRESS
        kind = "legal_reviewed" if verdict == "approve" else "legal_review_returned"
        transition(uow, c, to, kind, actor, {"verdict": verdict, "comment": comment}, today=today, now=now)
    return c


def sign(
    uow: UnitOfWork, actor: Actor, complaint_id: int, *, sent_on: date | None = None, today: date, now: datetime
) -> Complaint:
    """ACF 5.12: the director signs; the letter gets ``OUT-YYYY-NNNNNN`` and is sent by the client's channel. A late
    answer is recorded with ``timely: false``, never blocked."""
    sent = sent_on or today
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "sign") as c:
        if same_person(uow, actor, c.drafted_by, c.reviewed_by):
            raise SamePerson("The person who drafted or reviewed the answer cannot also sign it, with any account.")
        _not_before_receipt(c, "sent_on", sent, today)
        assert c.answer is not None  # noqa: S101 - a drafted answer precedes the review
        c.outgoing_number = next_number(uow, OUTGOING, sent.year)
        c.sent_on = sent
        c.timely = rules.answered_in_time(c.answer_due_on, sent)
        c.signed_by = actor.user_id
        c.answer = {**c.answer, "outgoing_number": c.outgoing_number, "sent_on": sent.isoformat(), "timely": c.timely}
        payload = {
            "outgoing_number": c.outgoing_number,
            "sent_on": sent.isoformat(),
            "timely": c.timely,
            "answer_due_on": c.answer_due_on.isoformat(),
        }
        transition(uow, c, cw.ANSWERED, "answered", actor, payload, today=today, now=now)
    return c


def close(uow: UnitOfWork, actor: Actor, complaint_id: int, *, summary: str, today: date, now: datetime) -> Complaint:
    """Close an answered complaint with a summary of the decision (an anonymous report forwarded to the
    authorities is closed from ``registered``)."""
    with uow:
        c = locked(uow, actor, complaint_id)
        if not (c.forwarded_to_authorities and c.status == cw.REGISTERED):
            cw.ensure_allowed("close", c.status)
        if not summary.strip():
            raise InvalidInput("A summary is required.", {"summary": ["Must not be empty."]})
        c.summary = summary.strip()
        c.closed_on = today
        transition(uow, c, cw.CLOSED, "closed", actor, {"summary": c.summary}, today=today, now=now)
        uow.commit()
        return c


def refuse(
    uow: UnitOfWork, actor: Actor, complaint_id: int, *, reason: str, comment: str, today: date, now: datetime
) -> Complaint:
    """ACF 1.1.4, 5.4; client-rights policy p.54: refusal on the merits with its reason; the client is told why
    (and, outside the lender's competence, who can help)."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "refuse") as c:
        ruleset = _ruleset(c)
        broken = rules.refusal_error(ruleset, reason, anonymous=c.anonymous, reports_crime=c.reports_crime)
        if broken == "not_anonymous":
            raise InvalidInput(
                "The applicant is identified.", {"reason": ["Only an anonymous complaint is refused as anonymous."]}
            )
        if broken == "reports_crime":
            raise Conflict(
                "An anonymous report of a crime is forwarded to the authorities, not refused"
                f" ({ruleset.cite('anonymous_exception')}).",
                state=c.status,
                related={"rule": rules.R_COMPLAINT_REFUSAL},
            )
        if broken is not None:
            raise InvalidInput("Unknown reason.", {"reason": [f"One of: {', '.join(ruleset.refusal_reasons)}."]})
        if not comment.strip():
            raise InvalidInput(
                "The client is told why.", {"comment": ["Required: the reason in words the client understands."]}
            )
        c.refusal_reason = reason
        c.refusal = {
            "reason": reason,
            "comment": comment.strip(),
            "refused_on": today.isoformat(),
            "timely": rules.answered_in_time(c.answer_due_on, today),
            "citation": ruleset.cite("refusal_reasons"),
        }
        c.sent_on = today
        c.timely = c.refusal["timely"]
        c.closed_on = today
        transition(uow, c, cw.REFUSED_ON_MERITS, "refused_on_merits", actor, {"reason": reason}, today=today, now=now)
    return c


def withdraw(uow: UnitOfWork, actor: Actor, complaint_id: int, *, reason: str, today: date, now: datetime) -> Complaint:
    """ACF 1.4.3: the client may withdraw a complaint at any time before the answer."""
    with command(uow, locked, cw.ensure_allowed, actor, complaint_id, "withdraw") as c:
        c.closed_on = today
        transition(uow, c, cw.WITHDRAWN, "withdrawn", actor, {"reason": reason}, today=today, now=now)
    return c
