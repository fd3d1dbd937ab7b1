"""sync: when each listing's newest figure was decided (figure_at), so a figure confirmed while a newer one came
leaves the lag counted from that newer one's time, not from the first unconfirmed change

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_stock_pushes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("figure_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_stock_pushes", schema=None) as batch_op:
        batch_op.drop_column("figure_at")
