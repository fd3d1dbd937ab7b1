"""purchasing: supplier terms, factories, purchase and production orders, shipment notices, receipt
discrepancies; outbound webhook endpoints and deliveries; stock alerts

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "factories",
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("daily_capacity", sa.Integer(), nullable=False),
        sa.CheckConstraint("daily_capacity >= 0", name=op.f("ck_factories_capacity_not_negative")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_factories_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_factories_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("partner_id", name=op.f("pk_factories")),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("event_types", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_webhook_endpoints_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_webhook_endpoints_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_endpoints_tenant", ["tenant_id", "active"], unique=False)

    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_purchase_orders_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_purchase_orders_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_purchase_orders_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_orders_partner", ["tenant_id", "partner_id", "state"], unique=False)

    op.create_table(
        "stock_alerts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], name=op.f("fk_stock_alerts_location_id_locations")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_stock_alerts_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_stock_alerts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_alerts")),
    )
    with op.batch_alter_table("stock_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_stock_alerts_open", ["tenant_id", "state", "kind"], unique=False)

    op.create_table(
        "supplier_skus",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=False),
        sa.Column("pack", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "moq >= 1 AND pack >= 1 AND lead_time_days >= 0 AND unit_cost >= 0",
            name=op.f("ck_supplier_skus_terms_valid"),
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_supplier_skus_partner_id_partners")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_supplier_skus_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_supplier_skus_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_skus")),
        sa.UniqueConstraint(
            "tenant_id", "sku_id", "partner_id", name=op.f("uq_supplier_skus_tenant_id_sku_id_partner_id")
        ),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["endpoint_id"], ["webhook_endpoints.id"], name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_webhook_deliveries_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("endpoint_id", "event_id", name=op.f("uq_webhook_deliveries_endpoint_id_event_id")),
    )
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_deliveries_due", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "asns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["purchase_orders.id"], name=op.f("fk_asns_order_id_purchase_orders")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_asns_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_asns_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asns")),
    )
    with op.batch_alter_table("asns", schema=None) as batch_op:
        batch_op.create_index("ix_asns_order", ["tenant_id", "order_id"], unique=False)

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Integer(), nullable=False),
        sa.Column("proposed_quantity", sa.Integer(), nullable=True),
        sa.Column("announced", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0 AND received >= 0 AND announced >= 0", name=op.f("ck_purchase_order_lines_quantities_valid")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_orders.id"], name=op.f("fk_purchase_order_lines_order_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_purchase_order_lines_sku_id_skus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
        sa.UniqueConstraint("order_id", "sku_id", name=op.f("uq_purchase_order_lines_order_id_sku_id")),
    )
    op.create_table(
        "asn_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("asn_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "quantity > 0 AND (received IS NULL OR received >= 0)", name=op.f("ck_asn_lines_quantities_valid")
        ),
        sa.ForeignKeyConstraint(["asn_id"], ["asns.id"], name=op.f("fk_asn_lines_asn_id_asns")),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_asn_lines_sku_id_skus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asn_lines")),
        sa.UniqueConstraint("asn_id", "sku_id", name=op.f("uq_asn_lines_asn_id_sku_id")),
    )
    op.create_table(
        "receipt_discrepancies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("asn_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("sku_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["asn_id"], ["asns.id"], name=op.f("fk_receipt_discrepancies_asn_id_asns")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_orders.id"], name=op.f("fk_receipt_discrepancies_order_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_receipt_discrepancies_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(["sku_id"], ["skus.id"], name=op.f("fk_receipt_discrepancies_sku_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_receipt_discrepancies_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_discrepancies")),
    )
    with op.batch_alter_table("receipt_discrepancies", schema=None) as batch_op:
        batch_op.create_index("ix_receipt_discrepancies_open", ["tenant_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("receipt_discrepancies", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_discrepancies_open")

    op.drop_table("receipt_discrepancies")
    op.drop_table("asn_lines")
    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("asns", schema=None) as batch_op:
        batch_op.drop_index("ix_asns_order")

    op.drop_table("asns")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_deliveries_due")

    op.drop_table("webhook_deliveries")
    op.drop_table("supplier_skus")
    with op.batch_alter_table("stock_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_alerts_open")

    op.drop_table("stock_alerts")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_orders_partner")

    op.drop_table("purchase_orders")
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_endpoints_tenant")

    op.drop_table("webhook_endpoints")
    op.drop_table("factories")
