"""planning: daily sales history imported from before the hub

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "planning_sales_days",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("stocked_out", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("units >= 0", name=op.f("ck_planning_sales_days_units_not_negative")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_planning_sales_days_channel_id_channels")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_planning_sales_days_location_id_locations")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_planning_sales_days_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_planning_sales_days_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_sales_days")),
    )
    with op.batch_alter_table("planning_sales_days", schema=None) as batch_op:
        batch_op.create_index("ix_planning_sales_days_day", ["tenant_id", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planning_sales_days", schema=None) as batch_op:
        batch_op.drop_index("ix_planning_sales_days_day")
    op.drop_table("planning_sales_days")
