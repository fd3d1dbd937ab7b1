"""planning events announced with their times: when a sale starts and ends, and the units each SKU is expected to
sell then (the stock sync holds back ahead of it)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALID = ("(starts_at IS NULL AND ends_at IS NULL AND units_per_sku IS NULL) OR "
         "(ends_at > starts_at AND (units_per_sku IS NULL OR units_per_sku > 0))")


def upgrade() -> None:
    with op.batch_alter_table("planning_events") as batch:
        batch.add_column(sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("units_per_sku", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_planning_events_event_times_valid"), VALID)
        batch.create_index("ix_planning_events_ends_at", ["ends_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planning_events") as batch:
        batch.drop_index("ix_planning_events_ends_at")
        batch.drop_constraint(op.f("ck_planning_events_event_times_valid"), type_="check")
        batch.drop_column("units_per_sku")
        batch.drop_column("ends_at")
        batch.drop_column("starts_at")
