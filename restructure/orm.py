"""The database mapping (SQLAlchemy 2, typed). The schema changes only through Alembic revisions in migrations/."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from restructure.sqltypes import Document, Money, Rate, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A person or system that calls the API; a borrower user is bound to one borrower.

    ``person_id`` is the person behind the account (e.g. the employee number): one person may hold several
    accounts and roles, and segregation of duties is by person (SPEC §8 "Who concurs").
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('borrower', 'credit_officer', 'rights_officer', 'admin', 'lawyer', 'director')", name="role"
        ),
        CheckConstraint("(role = 'borrower') = (borrower_id IS NOT NULL)", name="borrower_binding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrowers.id"), index=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Token(Base):
    """A bearer token, stored only as its SHA-256 digest."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Borrower(Base):
    """An individual borrower and the facts R-MANDATORY and R-KDN need."""

    __tablename__ = "borrowers"
    __table_args__ = (CheckConstraint("language IN ('kk', 'ru', 'en')", name="language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(2))
    vulnerable_categories: Mapped[list[str]] = mapped_column(Document())
    targeted_social_assistance: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency_affected: Mapped[bool] = mapped_column(Boolean, default=False)
    other_monthly_debt_payments: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Loan(Base):
    """A loan snapshot from the core banking system, as of ``as_of``."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("remaining_term_months <= term_months", name="remaining_within_term"),
        CheckConstraint("payment_day BETWEEN 1 AND 31", name="payment_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    contract_number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    principal: Mapped[Decimal] = mapped_column(Money())
    annual_rate_pct: Mapped[Decimal] = mapped_column(Rate())
    term_months: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    day_count: Mapped[str] = mapped_column(String(12))
    payment_day: Mapped[int] = mapped_column(Integer)
    secured_by: Mapped[str] = mapped_column(String(10))
    collateral_value: Mapped[Decimal | None] = mapped_column(Money())
    as_of: Mapped[date] = mapped_column(Date)
    outstanding_principal: Mapped[Decimal] = mapped_column(Money())
    overdue_principal: Mapped[Decimal] = mapped_column(Money())
    overdue_interest: Mapped[Decimal] = mapped_column(Money())
    penalties: Mapped[Decimal] = mapped_column(Money())
    overdue_since: Mapped[date | None] = mapped_column(Date)
    remaining_term_months: Mapped[int] = mapped_column(Integer)
    scheduled_payment: Mapped[Decimal] = mapped_column(Money())
    next_payment_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accrued_interest: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"), server_default="0")
    with_collection_agency_since: Mapped[date | None] = mapped_column(Date)
    core_loan_id: Mapped[str | None] = mapped_column(String(64), index=True)  # the core system's id (Fineract)


OPEN_WHERE = text("status NOT IN ('agreed', 'refused', 'withdrawn', 'lapsed')")


class Application(Base):
    """A hardship application; ``version`` guards every transition against lost updates.

    At most one open application per loan: a partial unique index enforces it even under racing requests.
    """

    __tablename__ = "applications"
    __table_args__ = (
        Index(
            "uq_applications_open_per_loan",
            "loan_id",
            unique=True,
            postgresql_where=OPEN_WHERE,
            sqlite_where=OPEN_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(2))
    received_on: Mapped[date] = mapped_column(Date)
    decision_due_on: Mapped[date] = mapped_column(Date, index=True)
    reasons: Mapped[list[str]] = mapped_column(Document())
    statement: Mapped[str] = mapped_column(Text, default="")
    requested: Mapped[dict[str, Any]] = mapped_column(Document())
    incomes: Mapped[list[dict[str, str]]] = mapped_column(Document())
    documents: Mapped[list[dict[str, Any]]] = mapped_column(Document())
    assessment: Mapped[dict[str, Any] | None] = mapped_column(Document())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_plan: Mapped[dict[str, Any] | None] = mapped_column(Document())
    document_requests: Mapped[list[dict[str, Any]]] = mapped_column(Document(), default=list)
    decision: Mapped[dict[str, Any] | None] = mapped_column(Document())
    decision_outcome: Mapped[str | None] = mapped_column(String(16))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    decision_timely: Mapped[bool | None] = mapped_column(Boolean)
    response_due_on: Mapped[date | None] = mapped_column(Date)
    ombudsman_until: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    breach_recorded_on: Mapped[date | None] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivery_channel: Mapped[str | None] = mapped_column(String(10))
    overdue_since: Mapped[date | None] = mapped_column(Date)  # the loan's, on receipt (LMF Art. 9-2 p.2 window)
    military_service_until: Mapped[date | None] = mapped_column(Date)  # SPEC §8 Conscripts (LMF Art. 7 p.2 sub 11-2)

    __mapper_args__ = {"version_id_col": version}


class EventColumns:
    """The columns of every event trail (``restructure/trails.py``): the sequence number within the record, when,
    who in which role, what happened and its payload. The trails add the record's key and its states."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    business_date: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(Document())


class ApplicationEvent(EventColumns, Base):
    """One transition of an application. Append-only: PostgreSQL rejects UPDATE and DELETE by trigger."""

    __tablename__ = "application_events"
    __table_args__ = (UniqueConstraint("application_id", "seq", name="uq_application_events_seq"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))


class LoanSnapshotRecord(Base):
    """One snapshot of a loan as the core system sent it (SPEC §8 rebasing); ``loans`` holds the latest."""

    __tablename__ = "loan_snapshots"
    __table_args__ = (UniqueConstraint("loan_id", "as_of", name="uq_loan_snapshots_as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    snapshot: Mapped[dict[str, Any]] = mapped_column(Document())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DelinquencyNotice(Base):
    """LMF Art. 9-2 p.1: the notice of an overdue loan, one per loan and ``overdue_since``."""

    __tablename__ = "delinquency_notices"
    __table_args__ = (UniqueConstraint("loan_id", "overdue_since", name="uq_delinquency_notices_loan_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"))
    overdue_since: Mapped[date] = mapped_column(Date)
    notice_due_on: Mapped[date] = mapped_column(Date)
    window_until: Mapped[date] = mapped_column(Date)
    overdue_amount: Mapped[Decimal] = mapped_column(Money())
    language: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """One notice to deliver on one channel; ``key`` makes enqueueing idempotent per notice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(10))
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrowers.id"), index=True)
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    reference: Mapped[dict[str, Any]] = mapped_column(Document())
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_on: Mapped[date | None] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)




class IdempotencyKey(Base):
    """An Idempotency-Key of one caller, with the request's digest and the answer given (SPEC §11).

    Written in the same transaction as the change it answers; the primary key makes a racing retry wait for, and
    then replay, the first answer.
    """

    __tablename__ = "idempotency_keys"

    principal: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PageSession(Base):
    """A signed-in page session, checked on every request against its user and token; sign-out revokes it."""

    __tablename__ = "page_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's session id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """An administrative action (users created, tokens revoked, users deactivated). Append-only."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))  # "cli" or "user:<id>"
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(Document())


import restructure.complaints_orm  # noqa: E402, F401 - registers the complaint register's tables on Base


class PortfolioJob(Base):
    """One background what-if (issue #17, ``restructure/portfolio_jobs.py``): its progress, then its result (the
    response document of ``POST /what-if``)."""

    __tablename__ = "portfolio_jobs"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[Any | None] = mapped_column(Document())
    error: Mapped[str | None] = mapped_column(Text)
