"""planning: the calendar of campaigns and live-room sessions the forecasts expect

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "planning_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("skus", JSON, nullable=False),
        sa.Column("sku_ids", JSON, nullable=False),
        sa.Column("channels", JSON, nullable=False),
        sa.Column("channel_ids", JSON, nullable=False),
        sa.Column("expected_uplift", sa.Double(), nullable=True),
        sa.Column("discount_percent", sa.Double(), nullable=True),
        sa.Column("uplift", sa.Double(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on AND uplift > 0", name=op.f("ck_planning_events_event_valid")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_planning_events_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_events")),
    )
    with op.batch_alter_table("planning_events", schema=None) as batch_op:
        batch_op.create_index("ix_planning_events_dates", ["tenant_id", "ends_on", "starts_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planning_events", schema=None) as batch_op:
        batch_op.drop_index("ix_planning_events_dates")
    op.drop_table("planning_events")
