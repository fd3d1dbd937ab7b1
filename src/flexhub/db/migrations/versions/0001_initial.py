"""initial

Revision ID: 0001
Revises:
Create Date: 2026-11-22 06:20:07.069412
"""

from collections.abc import Sequence

from flexhub.db.migrations.initial import (
    catalog,
    channels,
    fulfillment,
    identity,
    inventory,
    ordering,
    outbox,
    returns,
    routing,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# In the order their foreign keys need: each capability after the ones it points at.
CAPABILITIES = (outbox, identity, catalog, channels, ordering, inventory, routing, fulfillment, returns)


def upgrade() -> None:
    for capability in CAPABILITIES:
        capability.upgrade()


def downgrade() -> None:
    for capability in reversed(CAPABILITIES):
        capability.downgrade()
