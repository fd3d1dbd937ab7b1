"""orders indexed by channel and time: a spike's split reads each channel's sales of the last minute

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_channel_created", "orders", ["channel_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_channel_created", table_name="orders")
