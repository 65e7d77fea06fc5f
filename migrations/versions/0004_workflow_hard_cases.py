"""Workflow hard cases (SPEC §8): staff belong to a person, decisions record their delivery, loan snapshot history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("person_id", sa.String(length=64), nullable=True))
    # every existing account becomes its own person, so no existing pair of accounts is merged by accident
    op.execute(sa.text("UPDATE users SET person_id = 'user-' || CAST(id AS VARCHAR(20))"))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("person_id", existing_type=sa.String(length=64), nullable=False)
        batch.create_index(op.f("ix_users_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("delivery_channel", sa.String(length=10), nullable=True))
    op.create_table(
        "loan_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("snapshot", restructure.sqltypes.Document(), nullable=False),
        sa.Column("recorded_at", restructure.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_loan_snapshots_loan_id_loans")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_loan_snapshots_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_snapshots")),
        sa.UniqueConstraint("loan_id", "as_of", name="uq_loan_snapshots_as_of"),
    )
    op.create_index(op.f("ix_loan_snapshots_loan_id"), "loan_snapshots", ["loan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_loan_snapshots_loan_id"), table_name="loan_snapshots")
    op.drop_table("loan_snapshots")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("delivery_channel")
        batch.drop_column("delivered_on")
    with op.batch_alter_table("users") as batch:
        batch.drop_index(op.f("ix_users_person_id"))
        batch.drop_column("person_id")
