"""The application notices' way into the outbox (SPEC §10 Delivery): every acknowledgement, counter-offer, agreement
and refusal a borrower must receive is queued once, in the borrower's language, for the cabinet.

The outbox worker (``restructure outbox send``) calls :func:`queue_application_notices` before it sends, so a notice
reaches the outbox whatever happened to the request that caused it; the key ``<kind>:<application id>`` makes it
idempotent. Words are rendered at the edge: the caller passes ``render`` (a notice → subject and HTML body).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from restructure import complaints_workflow as cw
from restructure import workflow as wf
from restructure.complaints_letters import Letter, letter
from restructure.complaints_orm import Complaint
from restructure.notices import ACKNOWLEDGEMENT, Notice, applicable, compose, default_kind
from restructure.orm import Application, Borrower, Loan, OutboxMessage
from restructure.outbox import enqueue
from restructure.uow import UnitOfWork

Render = Callable[[Notice], tuple[str, str]]
BATCH = 200
DECISION_KINDS = ("counter_offer", "agreement", "refusal")


def _due_kinds(app: Application) -> list[str]:
    kinds = [ACKNOWLEDGEMENT]
    chosen = default_kind(app.status)
    if chosen in DECISION_KINDS and applicable(app, chosen):
        kinds.append(chosen)
    return kinds


def queue_application_notices(uow_factory: Callable[[], UnitOfWork], render: Render, *, now: datetime) -> int:
    """Queue every application notice the outbox does not hold yet; returns how many were queued."""
    queued, after = 0, 0
    while True:
        with uow_factory() as uow:
            apps = list(
                uow.session.scalars(
                    select(Application).where(Application.id > after).order_by(Application.id).limit(BATCH)
                )
            )
            if not apps:
                return queued
            after = apps[-1].id
            wanted = {f"{kind}:{app.id}": (app, kind) for app in apps for kind in _due_kinds(app)}
            held = set(uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(list(wanted)))))
            for key, (app, kind) in wanted.items():
                if key in held or app.status == wf.WITHDRAWN:
                    continue
                loan = uow.session.get(Loan, app.loan_id)
                borrower = uow.session.get(Borrower, app.borrower_id)
                assert loan is not None and borrower is not None  # noqa: S101 - foreign keys
                subject, body = render(compose(app, loan, borrower, kind))
                enqueue(
                    uow.session,
                    key=key,
                    kind="acknowledgement" if kind == ACKNOWLEDGEMENT else "decision",
                    channel="cabinet",
                    borrower_id=app.borrower_id,
                    recipient=None,
                    subject=subject,
                    body=body,
                    reference={"application_id": app.id, "loan_id": app.loan_id, "notice": kind},
                    now=now,
                )
                queued += 1
            uow.commit()


LetterRender = Callable[[Letter], tuple[str, str]]


def queue_complaint_letters(uow_factory: Callable[[], UnitOfWork], render: LetterRender, *, now: datetime) -> int:
    """Queue the signed answer (or thank-you letter) or the refusal on the merits of every complaint filed by a
    registered borrower, once, for the cabinet in the complaint's language; returns how many were queued. (The
    letter itself goes by the client's channel when it is signed; the cabinet keeps the borrower's copy.)"""
    queued, after = 0, 0
    while True:
        with uow_factory() as uow:
            complaints = list(
                uow.session.scalars(
                    select(Complaint)
                    .where(
                        Complaint.id > after,
                        Complaint.borrower_id.is_not(None),
                        Complaint.status.in_((cw.ANSWERED, cw.CLOSED, cw.REFUSED_ON_MERITS)),
                    )
                    .order_by(Complaint.id)
                    .limit(BATCH)
                )
            )
            if not complaints:
                return queued
            after = complaints[-1].id
            wanted = {f"complaint_letter:{c.id}": c for c in complaints}
            held = set(uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(list(wanted)))))
            letters = [(key, c, letter(uow_factory(), c)) for key, c in wanted.items() if key not in held]
            for key, c, item in letters:
                subject, body = render(item)
                enqueue(
                    uow.session,
                    key=key,
                    kind="complaint_answer",
                    channel="cabinet",
                    borrower_id=c.borrower_id,
                    recipient=None,
                    subject=subject,
                    body=body,
                    reference={"complaint_id": c.id, "letter": item.kind, "number": c.number},
                    now=now,
                )
                queued += 1
            uow.commit()
