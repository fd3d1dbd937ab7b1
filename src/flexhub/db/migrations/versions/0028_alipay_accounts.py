"""a tenant's Alipay app, for store sales paid through Alipay

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alipay_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("gateway", sa.String(length=300), nullable=False),
        sa.Column("allow_private", sa.Boolean(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_alipay_accounts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_alipay_accounts")),
    )


def downgrade() -> None:
    op.drop_table("alipay_accounts")
