"""Which letter a complaint calls for, and the facts it states (ACF 7.1-7.4, appendix 4; client-rights policy
p.54, p.59-61). Pure data: the wording, the language and the layout belong to ``api/complaint_letters.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from restructure import complaints_workflow as cw
from restructure.complaints_orm import Complaint
from restructure.errors import Conflict
from restructure.orm import Borrower
from restructure.uow import UnitOfWork

ANSWER = "complaint_answer"
THANKS = "complaint_thanks"
REFUSAL = "complaint_refusal"


@dataclass(frozen=True)
class Letter:
    """The facts of one letter to the client."""

    kind: str
    complaint_id: int
    number: str
    language: str
    addressee: str | None
    received_on: date
    dated_on: date
    outgoing_number: str | None
    outcome: str | None
    text: str
    lender_actions: str
    client_actions: str
    references: tuple[str, ...]
    refusal_reason: str | None
    timely: bool | None


def letter(uow: UnitOfWork, complaint: Complaint) -> Letter:
    """The signed answer (a thank-you letter for a suggestion) or the refusal on the merits; 409 before either."""
    with uow:
        borrower = uow.session.get(Borrower, complaint.borrower_id) if complaint.borrower_id else None
    addressee = borrower.full_name if borrower else (complaint.applicant or {}).get("name")
    if complaint.status == cw.REFUSED_ON_MERITS and complaint.refusal:
        r = complaint.refusal
        return Letter(
            kind=REFUSAL,
            complaint_id=complaint.id,
            number=complaint.number,
            language=complaint.language,
            addressee=addressee,
            received_on=complaint.received_on,
            dated_on=date.fromisoformat(r["refused_on"]),
            outgoing_number=None,
            outcome=None,
            text=r["comment"],
            lender_actions="",
            client_actions="",
            references=(r.get("citation", ""),),
            refusal_reason=r["reason"],
            timely=r["timely"],
        )
    if complaint.status in (cw.ANSWERED, cw.CLOSED) and complaint.answer and complaint.sent_on:
        a = complaint.answer
        return Letter(
            kind=THANKS if complaint.kind == "suggestion" else ANSWER,
            complaint_id=complaint.id,
            number=complaint.number,
            language=complaint.language,
            addressee=addressee,
            received_on=complaint.received_on,
            dated_on=complaint.sent_on,
            outgoing_number=complaint.outgoing_number,
            outcome=a.get("outcome"),
            text=a.get("text", ""),
            lender_actions=a.get("lender_actions", ""),
            client_actions=a.get("client_actions", ""),
            references=tuple(a.get("references", [])),
            refusal_reason=None,
            timely=complaint.timely,
        )
    raise Conflict(
        f"Complaint {complaint.number} has no signed answer or refusal yet (state '{complaint.status}').",
        state=complaint.status,
    )
