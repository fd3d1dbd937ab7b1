"""channel_stock_feeds: bulk stock documents a platform is processing (Amazon's JSON_LISTINGS_FEED)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_stock_feeds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_stock_feeds_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_channel_stock_feeds_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_stock_feeds")),
    )
    with op.batch_alter_table("channel_stock_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_stock_feeds_open", ["state", "channel_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_stock_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_feeds_open")
    op.drop_table("channel_stock_feeds")
