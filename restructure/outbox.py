"""The outbox (SPEC §10 Delivery): every notice to a borrower is a row here, written in the transaction that
decides to send it, and sent later by ``send_due`` (the sweeper or ``restructure outbox send``), never by the
request thread.

- Idempotent per notice: ``key`` is unique (``delinquency:<loan>:<overdue_since>``, ``decision:<application>``, …),
  so enqueueing twice keeps one row.
- Safe on several hosts: rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) in small batches.
- Retried with exponential backoff (1 min, 2, 4, … capped at a day), ``failed`` after ``MAX_ATTEMPTS``.
- ``sent_on`` when a channel accepts the message; ``delivered_on`` when delivery is known (at once for the
  cabinet; on a gateway's report for SMS; e-mail has no delivery report, so only ``sent_on``). A delivery calls
  :func:`on_delivered`, which feeds a decision notice's delivery date to the legal clocks (SPEC §8).

Only type names of errors are stored and logged, never recipients or texts (personal data stays out of logs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from restructure.errors import NotFound
from restructure.orm import OutboxMessage
from restructure.uow import UnitOfWork, ambient

PENDING, SENT, DELIVERED, FAILED = "pending", "sent", "delivered", "failed"
KINDS = ("delinquency", "acknowledgement", "decision", "complaint_answer")
CHANNELS = ("email", "sms", "cabinet")
MAX_ATTEMPTS = 8
BATCH = 50
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(days=1)


@dataclass(frozen=True)
class Receipt:
    """What a channel says when it accepts a message: ``delivered`` when it knows the borrower has it."""

    delivered: bool = False


class Channel(Protocol):
    def send(self, message: OutboxMessage) -> Receipt: ...


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    channel: str,
    borrower_id: int | None,
    recipient: str | None,
    subject: str,
    body: str,
    reference: Mapping[str, Any],
    now: datetime,
) -> OutboxMessage:
    """Add a message in the caller's transaction; a key already queued returns the queued message."""
    existing = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        kind=kind,
        channel=channel,
        borrower_id=borrower_id,
        recipient=recipient,
        subject=subject,
        body=body,
        reference=dict(reference),
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 1 min, 2, 4, … at most a day."""
    wait: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(wait, LONGEST_RETRY)


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"outbox sent: {len(self.sent)}, delivered: {len(self.delivered)}, to retry: {len(self.retried)},"
            f" failed: {len(self.failed)}"
        ]


def send_due(
    uow_factory: Callable[[], UnitOfWork],
    channels: Mapping[str, Channel],
    *,
    today: date,
    now: datetime,
    batch: int = BATCH,
) -> SendReport:
    """Send every message due by ``now``; each batch claimed with SKIP LOCKED and committed on its own."""
    report = SendReport()
    due = (
        select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    while True:
        with uow_factory() as uow:
            messages = list(uow.session.scalars(due))
            if not messages:
                return report
            for message in messages:
                _attempt(uow.session, message, channels.get(message.channel), report, today=today, now=now)
            uow.commit()


def _attempt(
    session: Session, message: OutboxMessage, channel: Channel | None, report: SendReport, *, today: date, now: datetime
) -> None:
    message.attempts += 1
    try:
        if channel is None:
            raise LookupError(f"no {message.channel} channel is configured")
        receipt = channel.send(message)
    except Exception as exc:  # noqa: BLE001 - any failure of a channel is retried, and recorded by type only
        message.last_error = type(exc).__name__[:200]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = FAILED
            report.failed.append(message.id)
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            report.retried.append(message.id)
        return
    message.status = SENT
    message.sent_on = today
    message.last_error = None
    report.sent.append(message.id)
    if receipt.delivered:
        _delivered(session, message, today)
        report.delivered.append(message.id)


def record_delivery(uow: UnitOfWork, message_id: int, *, delivered_on: date) -> OutboxMessage:
    """A channel's later delivery report (an SMS gateway's callback); a second report changes nothing."""
    with uow:
        message = uow.session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound("Outbox message not found.")
        if message.delivered_on is None:
            _delivered(uow.session, message, delivered_on)
            uow.commit()
        return message


def _delivered(session: Session, message: OutboxMessage, delivered_on: date) -> None:
    message.status = DELIVERED
    message.delivered_on = delivered_on
    on_delivered(session, message, delivered_on)


# The seam to SPEC §8's clocks: a delivered decision notice records the day the borrower received the decision.
DecisionDelivered = Callable[[Session, int, str, date], None]


def _record_decision_delivery(session: Session, application_id: int, channel: str, delivered_on: date) -> None:
    """``restructure.delivery.record_delivery`` in the outbox's transaction (a savepoint of it). A decision whose
    delivery no longer counts (already recorded later, lapsed, withdrawn) keeps its state: the outbox goes on.
    The cabinet copy changes nothing: the concurrence day already counts as its delivery for an electronic
    application, and a paper application's periods wait for the letter's recorded delivery (SPEC §8)."""
    if channel == "cabinet":
        return
    from restructure.delivery import record_delivery  # the workflow imports the outbox: import it when called
    from restructure.errors import DomainError

    with ambient(session):
        try:
            record_delivery(
                UnitOfWork(lambda: session),
                None,
                application_id,
                channel,
                delivered_on,
                today=delivered_on,
                now=datetime.now(UTC),
            )
        except DomainError:
            pass  # the message itself still records its delivery day


DECISION_DELIVERED: list[DecisionDelivered] = [_record_decision_delivery]


def on_delivered(session: Session, message: OutboxMessage, delivered_on: date) -> None:
    """A delivered decision notice feeds ``delivered_on`` (and so ``response_due_on`` / ``ombudsman_until``)."""
    application_id = message.reference.get("application_id")
    if message.kind == "decision" and isinstance(application_id, int):
        for hook in DECISION_DELIVERED:
            hook(session, application_id, message.channel, delivered_on)


def loan_notices(uow: UnitOfWork, loan_id: int, borrower_id: int) -> list[OutboxMessage]:
    """Every message about one loan (its delinquency notices, its applications' notices), newest first."""
    with uow:
        messages = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.borrower_id == borrower_id).order_by(OutboxMessage.id.desc())
        )
        return [m for m in messages if m.reference.get("loan_id") in (loan_id, None)]


def cabinet_notices(uow: UnitOfWork, borrower_id: int) -> list[OutboxMessage]:
    """The borrower's notices for the cabinet (every channel: what was sent to them), newest first."""
    with uow:
        return list(
            uow.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.borrower_id == borrower_id, OutboxMessage.status.in_((SENT, DELIVERED)))
                .order_by(OutboxMessage.id.desc())
            )
        )
