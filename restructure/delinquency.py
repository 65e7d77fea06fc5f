"""Delinquency notices (LMF Art. 9-2 p.1): who must be told, by when, and the record of each dispatch.

The dates come from ``rules.delinquency`` (the rule set in force on ``overdue_since``); a loan is delinquent while
its snapshot has an ``overdue_since``. One notice per loan and delinquency (``overdue_since``); dispatching goes
through the outbox, never the request thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, select

from restructure.access import Actor, ensure_visible
from restructure.errors import Conflict, InvalidInput, NotFound
from restructure.orm import Borrower, DelinquencyNotice, Loan
from restructure.outbox import enqueue
from restructure.uow import UnitOfWork
from rules.delinquency import NOTICE_STATUSES, clock, notice_late, notice_status

CHANNELS = ("cabinet", "email", "sms", "post", "office")
NEEDS_RECIPIENT = ("email", "sms")


@dataclass(frozen=True)
class DelinquentLoan:
    loan_id: int
    borrower_id: int
    contract_number: str
    overdue_since: date
    overdue_amount: Decimal
    notice_due_on: date
    window_until: date
    status: str
    sent_on: date | None
    channel: str | None
    late: bool | None


@dataclass(frozen=True)
class DelinquencyNoticeFacts:
    """What the notice states (LMF Art. 9-2 p.1): the overdue amount, the right to apply, the window, the
    consequences."""

    loan_id: int
    language: str
    borrower_name: str
    contract_number: str
    loan_issued_on: date
    overdue_since: date
    overdue_principal: Decimal
    overdue_interest: Decimal
    penalties: Decimal
    overdue_amount: Decimal
    window_until: date
    dated_on: date


def overdue_amount(loan: Loan) -> Decimal:
    return loan.overdue_principal + loan.overdue_interest + loan.penalties


def delinquent_loans(uow: UnitOfWork, *, today: date, status: str | None = None) -> list[DelinquentLoan]:
    """Loans with a delinquency, by notice due date: ``due``, ``late`` (not sent by day 10) or ``sent``."""
    if status is not None and status not in NOTICE_STATUSES:
        raise InvalidInput("Unknown notice status.", {"status": [f"One of {', '.join(NOTICE_STATUSES)}."]})
    query = (
        select(Loan, DelinquencyNotice)
        .outerjoin(
            DelinquencyNotice,
            and_(DelinquencyNotice.loan_id == Loan.id, DelinquencyNotice.overdue_since == Loan.overdue_since),
        )
        .where(Loan.overdue_since.is_not(None))
        .order_by(Loan.overdue_since, Loan.id)
    )
    out = []
    with uow:
        for loan, notice in uow.session.execute(query):
            assert loan.overdue_since is not None  # noqa: S101 - filtered above
            c = clock(loan.overdue_since)
            state = notice_status(c, notice.sent_on if notice else None, today)
            if status is None or state == status:
                out.append(
                    DelinquentLoan(
                        loan_id=loan.id,
                        borrower_id=loan.borrower_id,
                        contract_number=loan.contract_number,
                        overdue_since=loan.overdue_since,
                        overdue_amount=overdue_amount(loan),
                        notice_due_on=c.notice_due_on,
                        window_until=c.window_until,
                        status=state,
                        sent_on=notice.sent_on if notice else None,
                        channel=notice.channel if notice else None,
                        late=notice.late if notice else None,
                    )
                )
    return out


def unsent_late(uow_factory: Callable[[], UnitOfWork], *, today: date) -> list[int]:
    """The sweeper's flag: loans whose notice was not sent by day 10 (LMF Art. 9-2 p.1)."""
    return [d.loan_id for d in delinquent_loans(uow_factory(), today=today, status="late")]


def send_notice(
    uow: UnitOfWork,
    actor: Actor,
    loan_id: int,
    *,
    channel: str,
    recipient: str | None,
    today: date,
    now: datetime,
    body: Callable[[DelinquencyNoticeFacts], tuple[str, str]],
) -> DelinquencyNotice:
    """Record the notice and put it in the outbox; a second call for the same delinquency returns the first."""
    if channel in NEEDS_RECIPIENT and not recipient:
        raise InvalidInput("The notice has no recipient.", {"recipient": [f"Required for the {channel} channel."]})
    with uow:
        loan = uow.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        if loan.overdue_since is None:
            raise Conflict("The loan is not delinquent: its snapshot has no overdue_since.")
        existing = uow.session.scalar(
            select(DelinquencyNotice).where(
                DelinquencyNotice.loan_id == loan.id, DelinquencyNotice.overdue_since == loan.overdue_since
            )
        )
        if existing is not None:
            return existing
        borrower = uow.session.get(Borrower, loan.borrower_id)
        assert borrower is not None  # noqa: S101 - foreign key
        c = clock(loan.overdue_since)
        facts = _facts(loan, borrower, dated_on=today)
        notice = DelinquencyNotice(
            loan_id=loan.id,
            overdue_since=loan.overdue_since,
            notice_due_on=c.notice_due_on,
            window_until=c.window_until,
            overdue_amount=facts.overdue_amount,
            language=borrower.language,
            channel=channel,
            sent_on=today,
            late=notice_late(c, today),
            sent_by=actor.user_id,
            created_at=now,
        )
        uow.session.add(notice)
        subject, text = body(facts)
        enqueue(
            uow.session,
            key=f"delinquency:{loan.id}:{loan.overdue_since.isoformat()}",
            kind="delinquency",
            channel=channel if channel in ("cabinet", "email", "sms") else "cabinet",
            borrower_id=borrower.id,
            recipient=recipient,
            subject=subject,
            body=text,
            reference={"loan_id": loan.id, "overdue_since": loan.overdue_since.isoformat()},
            now=now,
        )
        uow.commit()
        return notice


def notice_facts(uow: UnitOfWork, actor: Actor, loan_id: int, *, today: date) -> DelinquencyNoticeFacts:
    """The notice of the loan's current delinquency, dated the day it was sent (or today, before it is)."""
    with uow:
        loan = uow.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        ensure_visible(actor, loan.borrower_id, "Loan")
        if loan.overdue_since is None:
            raise Conflict("The loan is not delinquent: its snapshot has no overdue_since.")
        borrower = uow.session.get(Borrower, loan.borrower_id)
        assert borrower is not None  # noqa: S101 - foreign key
        sent_on = uow.session.scalar(
            select(DelinquencyNotice.sent_on).where(
                DelinquencyNotice.loan_id == loan.id, DelinquencyNotice.overdue_since == loan.overdue_since
            )
        )
        return _facts(loan, borrower, dated_on=sent_on or today)


def _facts(loan: Loan, borrower: Borrower, *, dated_on: date) -> DelinquencyNoticeFacts:
    assert loan.overdue_since is not None  # noqa: S101 - checked by the callers
    return DelinquencyNoticeFacts(
        loan_id=loan.id,
        language=borrower.language,
        borrower_name=borrower.full_name,
        contract_number=loan.contract_number,
        loan_issued_on=loan.issued_on,
        overdue_since=loan.overdue_since,
        overdue_principal=loan.overdue_principal,
        overdue_interest=loan.overdue_interest,
        penalties=loan.penalties,
        overdue_amount=overdue_amount(loan),
        window_until=clock(loan.overdue_since).window_until,
        dated_on=dated_on,
    )
