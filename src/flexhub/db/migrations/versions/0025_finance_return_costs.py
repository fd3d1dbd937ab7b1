"""finance return costs: the parcel back, handling and other costs of a return

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finance_return_costs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("return_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("waybill_number", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"], name=op.f("fk_finance_return_costs_return_id_returns")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_finance_return_costs_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_return_costs")),
    )
    with op.batch_alter_table("finance_return_costs", schema=None) as batch_op:
        batch_op.create_index("ix_finance_return_costs_return", ["tenant_id", "return_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("finance_return_costs", schema=None) as batch_op:
        batch_op.drop_index("ix_finance_return_costs_return")
    op.drop_table("finance_return_costs")
