"""orders' unique key led by external_id: the order writer's known-orders probe keeps one plan that uses it

The writer probes orders by (external id, channel) for every order of a batch. With the key led by channel_id, orders'
index on (channel_id, created_at) served the probe as cheaply on a young table, and a plan cached then filtered a
channel's every order for each key. Led by external_id (the same uniqueness, the same index to maintain), the probe
finds its order through this index whatever the table's size or statistics (ordering/writer/sql.py).

Revision ID: 0032
Revises: 0031
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("uq_orders_channel_id_external_id", type_="unique")
        batch_op.create_unique_constraint("uq_orders_external_id_channel_id", ["external_id", "channel_id"])


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("uq_orders_external_id_channel_id", type_="unique")
        batch_op.create_unique_constraint("uq_orders_channel_id_external_id", ["channel_id", "external_id"])
