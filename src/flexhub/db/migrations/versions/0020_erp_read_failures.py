"""erp: a connection's failing reads kept (reason, failures in a row, when it failed, when the poll tries again)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("erp_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("read_failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("read_failed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("read_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("erp_connections", schema=None) as batch_op:
        batch_op.drop_column("read_after")
        batch_op.drop_column("read_failed_at")
        batch_op.drop_column("read_failures")
        batch_op.drop_column("read_error")
