"""The complaint register's tables (SPEC §9), on the same declarative ``Base`` as ``restructure.orm``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from restructure.orm import Base, EventColumns
from restructure.sqltypes import Document, UTCDateTime

OPEN = text("status IN ('registered', 'in_progress', 'answer_drafted', 'legal_reviewed')")


class ComplaintCounter(Base):
    """The last number issued in a series (``IN`` incoming, ``OUT`` outgoing) and year. Locked ``FOR UPDATE`` in
    the registering transaction, so numbers are gap-free: a rolled-back registration gives its number back."""

    __tablename__ = "complaint_counters"

    series: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Complaint(Base):
    """A complaint (жалоба), appeal (обращение) or suggestion; ``version`` guards every transition."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("language IN ('kk', 'ru', 'en')", name="language"),
        CheckConstraint("kind IN ('complaint', 'appeal', 'suggestion')", name="kind"),
        Index("ix_complaints_status_answer_due_on", "status", "answer_due_on", "id"),
        Index("ix_complaints_answer_due_on_id", "answer_due_on", "id"),
        # the open register (and its overdue part) in due-date order: a keyset page reads only its own rows
        Index("ix_complaints_open_due", "answer_due_on", "id", postgresql_where=OPEN, sqlite_where=OPEN),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    received_on: Mapped[date] = mapped_column(Date)
    answer_due_on: Mapped[date] = mapped_column(Date)
    rule_set: Mapped[str] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    reports_crime: Mapped[bool] = mapped_column(Boolean, default=False)
    forwarded_to_authorities: Mapped[bool] = mapped_column(Boolean, default=False)
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrowers.id"), index=True)
    applicant: Mapped[dict[str, Any] | None] = mapped_column(Document())
    representative: Mapped[dict[str, Any] | None] = mapped_column(Document())
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    forwarding_late: Mapped[bool] = mapped_column(Boolean, default=False)
    outside_information: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[str | None] = mapped_column(String(100))
    handler: Mapped[str | None] = mapped_column(String(200))
    information_requests: Mapped[list[dict[str, Any]]] = mapped_column(Document(), default=list)
    extension: Mapped[dict[str, Any] | None] = mapped_column(Document())
    unsent_notice_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    """The extension notice's due day while it is unsent (the sweeper flags it after that day)."""
    notice_late_recorded_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[dict[str, Any] | None] = mapped_column(Document())
    outcome: Mapped[str | None] = mapped_column(String(16))
    outgoing_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    sent_on: Mapped[date | None] = mapped_column(Date)
    timely: Mapped[bool | None] = mapped_column(Boolean)
    refusal: Mapped[dict[str, Any] | None] = mapped_column(Document())
    refusal_reason: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    breach_recorded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ComplaintEvent(EventColumns, Base):
    """One transition of a complaint. Append-only: PostgreSQL rejects UPDATE and DELETE by trigger."""

    __tablename__ = "complaint_events"
    __table_args__ = (UniqueConstraint("complaint_id", "seq", name="uq_complaint_events_seq"),)

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
