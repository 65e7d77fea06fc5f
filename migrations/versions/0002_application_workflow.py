"""Application workflow: decision and concurrence, legal clocks, document requests, one open application per loan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_WHERE = sa.text("status NOT IN ('agreed', 'refused', 'withdrawn', 'lapsed')")


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("mandatory", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("requested_plan", restructure.sqltypes.Document(), nullable=True))
        batch.add_column(
            sa.Column("document_requests", restructure.sqltypes.Document(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("decision", restructure.sqltypes.Document(), nullable=True))
        batch.add_column(sa.Column("decision_outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("proposed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("proposed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approved_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_timely", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("response_due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ombudsman_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("breach_recorded_on", sa.Date(), nullable=True))
        batch.create_foreign_key(op.f("fk_applications_proposed_by_users"), "users", ["proposed_by"], ["id"])
        batch.create_foreign_key(op.f("fk_applications_approved_by_users"), "users", ["approved_by"], ["id"])
    op.create_index(
        "uq_applications_open_per_loan",
        "applications",
        ["loan_id"],
        unique=True,
        postgresql_where=OPEN_WHERE,
        sqlite_where=OPEN_WHERE,
    )


def downgrade() -> None:
    op.drop_index("uq_applications_open_per_loan", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint(op.f("fk_applications_approved_by_users"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_applications_proposed_by_users"), type_="foreignkey")
        for column in (
            "breach_recorded_on", "closed_on", "ombudsman_until", "response_due_on", "decision_timely",
            "approved_on", "approved_by", "proposed_on", "proposed_by", "decision_outcome", "decision",
            "document_requests", "requested_plan", "mandatory",
        ):
            batch.drop_column(column)
