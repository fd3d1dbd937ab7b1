"""Revision 0001, fulfillment: carrier_accounts, shipments, shipment_lines, shipment_notices."""

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    op.create_table(
        "carrier_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("credentials", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_carrier_accounts_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_carrier_accounts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_accounts")),
    )
    with op.batch_alter_table("carrier_accounts", schema=None) as batch_op:
        batch_op.create_index("ix_carrier_accounts_carrier", ["tenant_id", "carrier"], unique=False)

    op.create_table(
        "shipments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_reason", sa.String(length=200), nullable=True),
        sa.Column("carrier", sa.String(length=32), nullable=True),
        sa.Column("service", sa.String(length=64), nullable=True),
        sa.Column("waybill_state", sa.String(length=16), nullable=False),
        sa.Column("waybill_number", sa.String(length=64), nullable=True),
        sa.Column("waybill_attempts", sa.Integer(), nullable=False),
        sa.Column("waybill_error", sa.String(length=500), nullable=True),
        sa.Column("label", sa.LargeBinary(), nullable=True),
        sa.Column("label_url", sa.Text(), nullable=True),
        sa.Column("label_format", sa.String(length=8), nullable=True),
        sa.Column("pickup_code", sa.String(length=6), nullable=True),
        sa.Column("tracking_state", sa.String(length=24), nullable=True),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_shipments_location_id_locations")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_shipments_order_id_orders")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_shipments_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_order", ["tenant_id", "order_id"], unique=False)
        batch_op.create_index("ix_shipments_state", ["tenant_id", "state"], unique=False)

    op.create_table(
        "shipment_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("pool", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_shipment_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_lines_shipment_id_shipments")
        ),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_shipment_lines_sku_id_skus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_lines")),
    )
    with op.batch_alter_table("shipment_lines", schema=None) as batch_op:
        batch_op.create_index("ix_shipment_lines_shipment", ["shipment_id"], unique=False)

    op.create_table(
        "shipment_notices",
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_notices_shipment_id_shipments")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_shipment_notices_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_shipment_notices")),
    )
    with op.batch_alter_table("shipment_notices", schema=None) as batch_op:
        batch_op.create_index("ix_shipment_notices_due", ["state", "next_attempt_at"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("shipment_notices", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_notices_due")

    op.drop_table("shipment_notices")
    with op.batch_alter_table("shipment_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_lines_shipment")

    op.drop_table("shipment_lines")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_state")
        batch_op.drop_index("ix_shipments_order")

    op.drop_table("shipments")
    with op.batch_alter_table("carrier_accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_carrier_accounts_carrier")

    op.drop_table("carrier_accounts")
