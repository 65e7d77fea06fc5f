"""Borrower notices (SPEC §7; LMF Art. 9-2 p.3-4; policy p.67-76): which notice an application calls for, and the
facts it states. Pure data: the wording, the language and the layout belong to ``api/notices.py``.

A notice reports one event, and is dated on the day of that event, so it reads the same whenever it is printed:
the acknowledgement on receipt, the document request on the request, the agreement, counter-offer and refusal
on the concurrence (or on the borrower's answer, or the day after an unanswered counter-offer lapsed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from restructure import workflow as wf
from restructure.access import Actor, ensure_visible
from restructure.decisions import decision_of
from restructure.errors import Conflict, NotFound
from restructure.orm import Application, Borrower, Loan
from restructure.uow import UnitOfWork
from schedules.result import ScheduleLine, Totals

ACKNOWLEDGEMENT = "acknowledgement"
DOCUMENT_REQUEST = "document_request"
AGREEMENT = "agreement"
COUNTER_OFFER = "counter_offer"
REFUSAL = "refusal"
KINDS = (ACKNOWLEDGEMENT, DOCUMENT_REQUEST, AGREEMENT, COUNTER_OFFER, REFUSAL)

# why a refusal notice is sent: the lender refused, the borrower declined a counter-offer, or it lapsed unanswered
REFUSED_BY_LENDER = "refused"
DECLINED = "declined"
LAPSED = "lapsed"

_DEFAULT_KIND = {
    wf.RECEIVED: ACKNOWLEDGEMENT,
    wf.UNDER_REVIEW: ACKNOWLEDGEMENT,
    wf.DECISION_PROPOSED: ACKNOWLEDGEMENT,  # not in effect until the rights officer concurs
    wf.AWAITING_DOCUMENTS: DOCUMENT_REQUEST,
    wf.AGREED: AGREEMENT,
    wf.AWAITING_BORROWER: COUNTER_OFFER,
    wf.REFUSED: REFUSAL,
    wf.LAPSED: REFUSAL,
}


@dataclass(frozen=True)
class Schedule:
    """The new schedule of an agreement or a counter-offer, with its totals."""

    start_on: date | None
    lines: tuple[ScheduleLine, ...]
    totals: Totals
    """With the penalties above the lawful cap, removed and never collected (SPEC §8; the notice says so)."""
    notes: tuple[Mapping[str, Any] | str, ...] = ()
    """SPEC §8 "Mandatory cases": why the lender grants more than asked (e.g. the minimum deferral): the rule entries
    of the stored assessment (their text key and figures), worded when the notice is rendered."""


@dataclass(frozen=True)
class DocumentRequest:
    items: tuple[str, ...]
    requested_on: date
    respond_by: date


@dataclass(frozen=True)
class Notice:
    """Everything one notice states; ``dated_on`` is the day of the event it reports."""

    kind: str
    application_id: int
    status: str
    language: str
    dated_on: date
    borrower_name: str
    contract_number: str
    loan_issued_on: date
    received_on: date
    decision_due_on: date
    decision_days: int = 0  # from the rule set in force on received_on (compose)
    document_request: DocumentRequest | None = None
    decided_on: date | None = None
    schedule: Schedule | None = None
    response_due_on: date | None = None
    response_days: int = 0  # from the rule set in force on received_on (compose)
    accepted_on: date | None = None
    refusal_cause: str | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    ombudsman_until: date | None = None
    ombudsman_days: int = 0  # from the rule set in force on received_on (compose)
    agreed_as: str | None = None
    """How an agreement came about (restructure.agreement): the requested plan after a declined or lapsed
    counter-offer to a mandatory request reads differently from an accepted counter-offer."""
    missing_documents: tuple[str, ...] = ()
    agreed_on: date | None = None
    delivered_on: date | None = None


def default_kind(status: str) -> str | None:
    """The notice for the current state; ``None`` for a withdrawn application (no notice is sent)."""
    return _DEFAULT_KIND.get(status)


def _counter_offered(app: Application) -> bool:
    return app.decision_outcome == "counter_offer" and app.approved_on is not None


def applicable(app: Application, kind: str) -> bool:
    """Whether the event a notice reports has happened to ``app``."""
    if kind == ACKNOWLEDGEMENT:
        return True
    if kind == DOCUMENT_REQUEST:
        return bool(app.document_requests)
    if kind == AGREEMENT:
        return app.status == wf.AGREED
    if kind == COUNTER_OFFER:
        return _counter_offered(app)
    if kind == REFUSAL:
        return app.status in (wf.REFUSED, wf.LAPSED)
    raise ValueError(f"Unknown notice kind {kind!r}.")


def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal("0.00")


def schedule_of(plan: Mapping[str, Any], start_on: date | None) -> Schedule:
    """A stored plan document (API.md ``Plan``) as typed schedule lines and totals."""
    totals = plan.get("totals") or {}
    lines = tuple(
        ScheduleLine(
            n=int(line["n"]),
            due_on=date.fromisoformat(line["due_on"]),
            payment=_money(line["payment"]),
            principal=_money(line["principal"]),
            interest=_money(line["interest"]),
            arrears=_money(line["arrears"]),
            balance=_money(line["balance"]),
        )
        for line in plan.get("schedule", [])
    )
    return Schedule(
        start_on=start_on,
        lines=lines,
        totals=Totals(
            payment=_money(totals.get("payment")),
            principal=_money(totals.get("principal")),
            interest=_money(totals.get("interest")),
            arrears=_money(totals.get("arrears")),
            forgiven=_money(totals.get("forgiven")),
            penalty_excess_removed=_money(totals.get("penalty_excess_removed") or "0.00"),
        ),
    )


def _granted_notes(assessment: Mapping[str, Any] | None) -> tuple[Mapping[str, Any] | str, ...]:
    """The assessment's R-MANDATORY note that a short request was granted for the minimum, and its
    R-MILITARY-SERVICE note on a conscript's deferral (SPEC §8)."""
    return tuple(
        dict(rule)
        for rule in (assessment or {}).get("rules", [])
        if (rule.get("rule") == "R-MANDATORY" and "requested_months" in (rule.get("figures") or {}))
        or rule.get("rule") == "R-MILITARY-SERVICE"
    )


def _refusal_cause(app: Application) -> str:
    if app.status == wf.LAPSED:
        return LAPSED
    return DECLINED if app.decision_outcome == "counter_offer" else REFUSED_BY_LENDER


def compose(app: Application, loan: Loan, borrower: Borrower, kind: str) -> Notice:
    """The facts of notice ``kind`` for ``app``; ``kind`` must be :func:`applicable`."""
    decision = decision_of(app.decision)
    periods = wf.periods(app.received_on)
    base = Notice(
        kind=kind,
        application_id=app.id,
        status=app.status,
        language=app.language,
        dated_on=app.received_on,
        borrower_name=borrower.full_name,
        contract_number=loan.contract_number,
        loan_issued_on=loan.issued_on,
        received_on=app.received_on,
        decision_due_on=app.decision_due_on,
        decision_days=periods.decision_days,
        response_days=periods.response_days,
        ombudsman_days=periods.ombudsman_days,
        agreed_as=decision.agreed_as,
        agreed_on=decision.agreed_on,
        delivered_on=app.delivered_on,
        missing_documents=decision.missing_documents or (),
    )
    fields: dict[str, Any] = {}
    if kind == DOCUMENT_REQUEST:
        last = app.document_requests[-1]
        request = DocumentRequest(
            items=tuple(last.get("items", ())),
            requested_on=date.fromisoformat(last["requested_on"]),
            respond_by=date.fromisoformat(last["respond_by"]),
        )
        fields = {"document_request": request, "dated_on": request.requested_on}
    elif kind in (AGREEMENT, COUNTER_OFFER):
        assert app.approved_on is not None  # noqa: S101 - a decision in effect was concurred
        plan = decision.plan or {}
        fields = {
            "decided_on": app.approved_on,
            "dated_on": app.approved_on,
            "schedule": replace(
                schedule_of(plan, decision.start_on), notes=_granted_notes(app.assessment)
            ),
            "comment": decision.comment,
        }
        if kind == COUNTER_OFFER:
            fields["response_due_on"] = app.response_due_on
        elif decision.requested_in_effect:  # mandatory: SPEC §8
            fields["dated_on"] = app.closed_on or app.approved_on
        elif app.decision_outcome == "counter_offer":  # the borrower accepted the counter-offer
            fields |= {"accepted_on": app.closed_on, "dated_on": app.closed_on or app.approved_on}
    elif kind == REFUSAL:
        cause = _refusal_cause(app)
        fields = {
            "refusal_cause": cause,
            "decided_on": app.approved_on,
            "dated_on": (app.approved_on if cause == REFUSED_BY_LENDER else app.closed_on) or app.received_on,
            "response_due_on": app.response_due_on,
            "reasons": decision.reasons if cause == REFUSED_BY_LENDER else (),
            "comment": decision.comment if cause == REFUSED_BY_LENDER else "",
            "ombudsman_until": app.ombudsman_until,
        }
    return replace(base, **fields)


def notice(uow: UnitOfWork, actor: Actor, application_id: int, kind: str | None = None) -> Notice:
    """The notice ``kind`` (default: the one for the current state); a borrower reads only their own."""
    with uow:
        app = uow.session.get(Application, application_id)
        if app is None:
            raise NotFound("Application not found.")
        ensure_visible(actor, app.borrower_id, "Application")
        chosen = kind or default_kind(app.status)
        if chosen is None:
            raise Conflict(
                f"No notice is sent for an application in state '{app.status}'; ask for a kind explicitly.",
                state=app.status,
            )
        if not applicable(app, chosen):
            raise Conflict(f"No {chosen} notice for an application in state '{app.status}'.", state=app.status)
        loan = uow.session.get(Loan, app.loan_id)
        borrower = uow.session.get(Borrower, app.borrower_id)
        assert loan is not None and borrower is not None  # noqa: S101 - foreign keys
        return compose(app, loan, borrower, chosen)
