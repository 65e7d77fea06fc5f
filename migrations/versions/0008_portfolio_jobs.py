"""Portfolio what-if jobs (issue #17): a what-if over more than 100,000 loans runs in the background and reports
its progress.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portfolio_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", restructure.sqltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", restructure.sqltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", restructure.sqltypes.Document(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_portfolio_jobs_status")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_portfolio_jobs_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_jobs")),
    )


def downgrade() -> None:
    op.drop_table("portfolio_jobs")
