"""finance costs: landed costs of receipts, carriers' charges per waybill

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finance_landed_costs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_finance_landed_costs_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_landed_costs")),
    )
    with op.batch_alter_table("finance_landed_costs", schema=None) as batch_op:
        batch_op.create_index("ix_finance_landed_costs_receipt", ["tenant_id", "reference"], unique=False)
    op.create_table(
        "finance_carrier_charges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("waybill_number", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_finance_carrier_charges_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_carrier_charges")),
        sa.UniqueConstraint(
            "tenant_id", "waybill_number", name=op.f("uq_finance_carrier_charges_tenant_id_waybill_number")
        ),
    )


def downgrade() -> None:
    op.drop_table("finance_carrier_charges")
    with op.batch_alter_table("finance_landed_costs", schema=None) as batch_op:
        batch_op.drop_index("ix_finance_landed_costs_receipt")
    op.drop_table("finance_landed_costs")
