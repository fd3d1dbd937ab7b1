"""channels: reconciliation runs and the stock drift they found per listing

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "channel_reconciliations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=False),
        sa.Column("listings_read", sa.Integer(), nullable=False),
        sa.Column("drifted", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_channel_reconciliations_channel_id_channels")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_channel_reconciliations_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_reconciliations")),
    )
    with op.batch_alter_table("channel_reconciliations", schema=None) as batch_op:
        batch_op.create_index("ix_reconciliations_channel", ["channel_id", "started_at"], unique=False)

    op.create_table(
        "channel_stock_drifts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("reconciliation_id", sa.Uuid(), nullable=False),
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("platform_quantity", sa.Integer(), nullable=False),
        sa.Column("our_quantity", sa.Integer(), nullable=False),
        sa.Column("difference", sa.Integer(), nullable=False),
        sa.Column("found_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_channel_stock_drifts_channel_id_channels")),
        sa.ForeignKeyConstraint(["listing_id"], ["channel_listings.id"],
                                name=op.f("fk_channel_stock_drifts_listing_id_channel_listings")),
        sa.ForeignKeyConstraint(["reconciliation_id"], ["channel_reconciliations.id"],
                                name=op.f("fk_channel_stock_drifts_reconciliation_id_channel_reconciliations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_stock_drifts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_stock_drifts")),
    )
    with op.batch_alter_table("channel_stock_drifts", schema=None) as batch_op:
        batch_op.create_index("ix_stock_drifts_channel", ["tenant_id", "channel_id", "found_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_stock_drifts", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_drifts_channel")
    op.drop_table("channel_stock_drifts")
    with op.batch_alter_table("channel_reconciliations", schema=None) as batch_op:
        batch_op.drop_index("ix_reconciliations_channel")
    op.drop_table("channel_reconciliations")
