"""channel_push_nonces: the nonces signed pushes carried, kept until the push would be stale (replays refused)

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_push_nonces",
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_push_nonces_channel_id_channels")
        ),
        sa.PrimaryKeyConstraint("channel_id", "nonce", "signed_at", name=op.f("pk_channel_push_nonces")),
    )
    with op.batch_alter_table("channel_push_nonces", schema=None) as batch_op:
        batch_op.create_index("ix_push_nonces_expires", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_push_nonces", schema=None) as batch_op:
        batch_op.drop_index("ix_push_nonces_expires")
    op.drop_table("channel_push_nonces")
