"""Imports, delinquency notices and the outbox (SPEC §10): loans.core_loan_id, delinquency_notices, outbox.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loans") as batch:
        batch.add_column(sa.Column("core_loan_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_loans_core_loan_id", ["core_loan_id"])
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("overdue_since", sa.Date(), nullable=True))
    op.create_table(
        "delinquency_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("overdue_since", sa.Date(), nullable=False),
        sa.Column("notice_due_on", sa.Date(), nullable=False),
        sa.Column("window_until", sa.Date(), nullable=False),
        sa.Column("overdue_amount", restructure.sqltypes.Money(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("created_at", restructure.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name="fk_delinquency_notices_loan_id_loans"),
        sa.ForeignKeyConstraint(["sent_by"], ["users.id"], name="fk_delinquency_notices_sent_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_delinquency_notices"),
        sa.UniqueConstraint("loan_id", "overdue_since", name="uq_delinquency_notices_loan_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reference", restructure.sqltypes.Document(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", restructure.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", restructure.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"], name="fk_outbox_borrower_id_borrowers"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_status", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_borrower_id", "outbox", ["borrower_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_borrower_id", table_name="outbox")
    op.drop_index("ix_outbox_status", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("delinquency_notices")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("overdue_since")
    with op.batch_alter_table("loans") as batch:
        batch.drop_index("ix_loans_core_loan_id")
        batch.drop_column("core_loan_id")
