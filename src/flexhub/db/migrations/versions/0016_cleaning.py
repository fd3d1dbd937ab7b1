"""cleaning: rules, holds, order fingerprints

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cleaning_rules",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_cleaning_rules_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "name", name=op.f("pk_cleaning_rules")),
    )
    op.create_table(
        "order_fingerprints",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_key", sa.String(length=200), nullable=False),
        sa.Column("address_key", sa.String(length=32), nullable=False),
        sa.Column("device_key", sa.String(length=120), nullable=True),
        sa.Column("lines_key", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_fingerprints_order_id_orders")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_order_fingerprints_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_fingerprints")),
    )
    with op.batch_alter_table("order_fingerprints", schema=None) as batch_op:
        batch_op.create_index("ix_order_fingerprints_address", ["tenant_id", "address_key", "seen_at"], unique=False)
        batch_op.create_index("ix_order_fingerprints_buyer", ["tenant_id", "buyer_key", "seen_at"], unique=False)
        batch_op.create_index("ix_order_fingerprints_device", ["tenant_id", "device_key", "seen_at"], unique=False)

    op.create_table(
        "order_holds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("findings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_holds_order_id_orders")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_order_holds_partner_id_partners")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_order_holds_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_holds")),
    )
    with op.batch_alter_table("order_holds", schema=None) as batch_op:
        batch_op.create_index("ix_order_holds_open", ["tenant_id", "closed_at"], unique=False)
        batch_op.create_index("ix_order_holds_order", ["tenant_id", "order_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("order_holds", schema=None) as batch_op:
        batch_op.drop_index("ix_order_holds_order")
        batch_op.drop_index("ix_order_holds_open")

    op.drop_table("order_holds")
    with op.batch_alter_table("order_fingerprints", schema=None) as batch_op:
        batch_op.drop_index("ix_order_fingerprints_device")
        batch_op.drop_index("ix_order_fingerprints_buyer")
        batch_op.drop_index("ix_order_fingerprints_address")

    op.drop_table("order_fingerprints")
    op.drop_table("cleaning_rules")
