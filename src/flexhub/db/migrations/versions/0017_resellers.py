"""resellers: terms, prices, account entries

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reseller_prices",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_reseller_prices_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reseller_prices_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "partner_id", "sku", "valid_from", name=op.f("pk_reseller_prices")),
    )
    op.create_table(
        "reseller_terms",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("credit_limit", sa.Integer(), nullable=True),
        sa.Column("dropship_fee", sa.Integer(), nullable=False),
        sa.Column("storage_fee_per_unit_day", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_reseller_terms_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reseller_terms_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "partner_id", name=op.f("pk_reseller_terms")),
    )
    op.create_table(
        "reseller_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_reseller_entries_order_id_orders")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_reseller_entries_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_reseller_entries_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reseller_entries")),
    )
    with op.batch_alter_table("reseller_entries", schema=None) as batch_op:
        batch_op.create_index("ix_reseller_entries_order", ["tenant_id", "order_id"], unique=False)
        batch_op.create_index("ix_reseller_entries_partner", ["tenant_id", "partner_id", "at"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("reseller_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_reseller_entries_partner")
        batch_op.drop_index("ix_reseller_entries_order")

    op.drop_table("reseller_entries")
    op.drop_table("reseller_terms")
    op.drop_table("reseller_prices")
