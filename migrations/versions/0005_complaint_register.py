"""Complaint register (SPEC §9): complaints, their append-only events, gap-free number counters; roles lawyer and
director.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "role IN ('borrower', 'credit_officer', 'rights_officer', 'admin')"
OPEN = sa.text("status IN ('registered', 'in_progress', 'answer_drafted', 'legal_reviewed')")
NEW_ROLES = "role IN ('borrower', 'credit_officer', 'rights_officer', 'admin', 'lawyer', 'director')"


def _roles(check: str) -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), check)


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.create_table(
        "complaint_counters",
        sa.Column("series", sa.String(length=3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_complaint_counters")),
    )
    doc = restructure.sqltypes.Document
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("answer_due_on", sa.Date(), nullable=False),
        sa.Column("rule_set", sa.String(length=32), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reports_crime", sa.Boolean(), nullable=False),
        sa.Column("forwarded_to_authorities", sa.Boolean(), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=True),
        sa.Column("applicant", doc(), nullable=True),
        sa.Column("representative", doc(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("forwarding_late", sa.Boolean(), nullable=False),
        sa.Column("outside_information", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("handler", sa.String(length=200), nullable=True),
        sa.Column("information_requests", doc(), nullable=False),
        sa.Column("extension", doc(), nullable=True),
        sa.Column("unsent_notice_due_on", sa.Date(), nullable=True),
        sa.Column("notice_late_recorded_on", sa.Date(), nullable=True),
        sa.Column("answer", doc(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outgoing_number", sa.String(length=16), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("timely", sa.Boolean(), nullable=True),
        sa.Column("refusal", doc(), nullable=True),
        sa.Column("refusal_reason", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("drafted_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("breach_recorded_on", sa.Date(), nullable=True),
        sa.Column("created_at", restructure.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", restructure.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("language IN ('kk', 'ru', 'en')", name=op.f("ck_complaints_language")),
        sa.CheckConstraint("kind IN ('complaint', 'appeal', 'suggestion')", name=op.f("ck_complaints_kind")),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"], name=op.f("fk_complaints_borrower_id_borrowers")),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_complaints_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["registered_by"], ["users.id"], name=op.f("fk_complaints_registered_by_users")),
        sa.ForeignKeyConstraint(["drafted_by"], ["users.id"], name=op.f("fk_complaints_drafted_by_users")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_complaints_reviewed_by_users")),
        sa.ForeignKeyConstraint(["signed_by"], ["users.id"], name=op.f("fk_complaints_signed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("number", name=op.f("uq_complaints_number")),
        sa.UniqueConstraint("outgoing_number", name=op.f("uq_complaints_outgoing_number")),
    )
    op.create_index(op.f("ix_complaints_borrower_id"), "complaints", ["borrower_id"])
    op.create_index(op.f("ix_complaints_application_id"), "complaints", ["application_id"])
    op.create_index(op.f("ix_complaints_unsent_notice_due_on"), "complaints", ["unsent_notice_due_on"])
    op.create_index("ix_complaints_status_answer_due_on", "complaints", ["status", "answer_due_on", "id"])
    op.create_index("ix_complaints_answer_due_on_id", "complaints", ["answer_due_on", "id"])
    op.create_index(
        "ix_complaints_open_due", "complaints", ["answer_due_on", "id"], postgresql_where=OPEN, sqlite_where=OPEN
    )
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", restructure.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("payload", doc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_complaint_events_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_complaint_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
        sa.UniqueConstraint("complaint_id", "seq", name="uq_complaint_events_seq"),
    )
    op.create_index(op.f("ix_complaint_events_complaint_id"), "complaint_events", ["complaint_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'complaint_events is append-only (% refused)', TG_OP;
            END $$;
            """
        )
        op.execute(
            """
            CREATE TRIGGER complaint_events_append_only
            BEFORE UPDATE OR DELETE ON complaint_events
            FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only();
            """
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS complaint_events_append_only ON complaint_events")
        op.execute("DROP FUNCTION IF EXISTS complaint_events_append_only()")
    op.drop_index(op.f("ix_complaint_events_complaint_id"), table_name="complaint_events")
    op.drop_table("complaint_events")
    for index in (
        "ix_complaints_open_due",
        "ix_complaints_answer_due_on_id",
        "ix_complaints_status_answer_due_on",
        op.f("ix_complaints_application_id"),
        op.f("ix_complaints_unsent_notice_due_on"),
        op.f("ix_complaints_borrower_id"),
    ):
        op.drop_index(index, table_name="complaints")
    op.drop_table("complaints")
    op.drop_table("complaint_counters")
    # users with the new roles cannot satisfy the old check; they are deactivated rather than deleted
    op.execute("DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE role IN ('lawyer', 'director'))")
    op.execute("UPDATE users SET role = 'admin', active = false WHERE role IN ('lawyer', 'director')")
    _roles(OLD_ROLES)
