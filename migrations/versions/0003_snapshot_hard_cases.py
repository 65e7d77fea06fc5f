"""Loan snapshots carry accrued interest and the collection agency's start (SPEC §8).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import restructure.sqltypes

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loans") as batch:
        batch.add_column(
            sa.Column(
                "accrued_interest",
                restructure.sqltypes.ExactDecimal(precision=14, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch.add_column(sa.Column("with_collection_agency_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("loans") as batch:
        batch.drop_column("with_collection_agency_since")
        batch.drop_column("accrued_interest")
