"""Revision 0001, channels: channels, their inbound messages, listings, poll cursors, exceptions and stock pushes."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("pools", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("unpaid_hold_minutes", sa.Integer(), nullable=True),
        sa.Column("settings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_channels_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channels_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_channels_tenant_id_code")),
    )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.create_index("ix_channels_code_platform", ["code", "platform"], unique=False)

    op.create_table(
        "channel_inbound",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("headers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_channel_inbound_channel_id_channels")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_inbound_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_inbound")),
    )
    with op.batch_alter_table("channel_inbound", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_state", ["state", "received_at"], unique=False)

    op.create_table(
        "channel_listings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("external_sku", sa.String(length=120), nullable=False),
        sa.Column("external_item_id", sa.String(length=120), nullable=True),
        sa.Column("external_location_id", sa.String(length=120), nullable=True),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("allocation", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_channel_listings_channel_id_channels")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_channel_listings_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_listings_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_listings")),
        sa.UniqueConstraint("channel_id", "external_sku", name=op.f("uq_channel_listings_channel_id_external_sku")),
    )
    with op.batch_alter_table("channel_listings", schema=None) as batch_op:
        batch_op.create_index("ix_listings_sku", ["tenant_id", "sku_id"], unique=False)

    op.create_table(
        "channel_poll_cursors",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("polled_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_poll_cursors_channel_id_channels")
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_poll_cursors")),
    )
    op.create_table(
        "channel_exceptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("inbound_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_exceptions_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["inbound_id"], ["channel_inbound.id"], name=op.f("fk_channel_exceptions_inbound_id_channel_inbound")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_exceptions_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_exceptions")),
    )
    with op.batch_alter_table("channel_exceptions", schema=None) as batch_op:
        batch_op.create_index("ix_channel_exceptions_open", ["tenant_id", "state"], unique=False)

    op.create_table(
        "channel_stock_pushes",
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("pushed_quantity", sa.Integer(), nullable=True),
        sa.Column("pushed_version", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_stock_pushes_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["channel_listings.id"], name=op.f("fk_channel_stock_pushes_listing_id_channel_listings")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_stock_pushes_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_channel_stock_pushes")),
    )
    with op.batch_alter_table("channel_stock_pushes", schema=None) as batch_op:
        batch_op.create_index("ix_stock_pushes_due", ["state", "next_attempt_at"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("channel_stock_pushes", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_pushes_due")

    op.drop_table("channel_stock_pushes")
    with op.batch_alter_table("channel_exceptions", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_exceptions_open")

    op.drop_table("channel_exceptions")
    op.drop_table("channel_poll_cursors")
    with op.batch_alter_table("channel_listings", schema=None) as batch_op:
        batch_op.drop_index("ix_listings_sku")

    op.drop_table("channel_listings")
    with op.batch_alter_table("channel_inbound", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_state")

    op.drop_table("channel_inbound")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_index("ix_channels_code_platform")

    op.drop_table("channels")
