"""order batches (bulk work on orders) and the bins SKUs sit in at a node

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_order_batches_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_order_batches_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_batches")),
    )
    op.create_index("ix_order_batches_tenant", "order_batches", ["tenant_id", "created_at"])
    op.create_index("ix_order_batches_state", "order_batches", ["state"])
    op.create_table(
        "order_batch_items",
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["order_batches.id"],
                                name=op.f("fk_order_batch_items_batch_id_order_batches")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_batch_items_order_id_orders")),
        sa.PrimaryKeyConstraint("batch_id", "position", name=op.f("pk_order_batch_items")),
    )
    op.create_index("ix_order_batch_items_state", "order_batch_items", ["state", "batch_id"])
    op.create_table(
        "bin_assignments",
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("bin", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_bin_assignments_location_id_locations")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_bin_assignments_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_bin_assignments_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("location_id", "sku_id", name=op.f("pk_bin_assignments")),
    )


def downgrade() -> None:
    op.drop_table("bin_assignments")
    op.drop_index("ix_order_batch_items_state", table_name="order_batch_items")
    op.drop_table("order_batch_items")
    op.drop_index("ix_order_batches_state", table_name="order_batches")
    op.drop_index("ix_order_batches_tenant", table_name="order_batches")
    op.drop_table("order_batches")
