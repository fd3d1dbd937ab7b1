"""fulfilment: shipments found by waybill, tracking events kept once, carrier pushes as received, tracking polls, regional returns centres

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_waybill", ["tenant_id", "waybill_number"], unique=False)
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("carrier_code", sa.String(length=32), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"],
                                name=op.f("fk_tracking_events_shipment_id_shipments")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_tracking_events_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint("shipment_id", "at", "state", "carrier_code",
                            name=op.f("uq_tracking_events_shipment_id_at_state_carrier_code")),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_events_shipment", ["tenant_id", "shipment_id", "at"], unique=False)

    op.create_table(
        "carrier_pushes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("carrier_account_id", sa.Uuid(), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=False),
        sa.Column("headers", JSON, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("processed_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["carrier_account_id"], ["carrier_accounts.id"],
                                name=op.f("fk_carrier_pushes_carrier_account_id_carrier_accounts")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_carrier_pushes_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_pushes")),
    )
    with op.batch_alter_table("carrier_pushes", schema=None) as batch_op:
        batch_op.create_index("ix_carrier_pushes_state", ["state", "received_at"], unique=False)

    op.create_table(
        "tracking_polls",
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("polled_at", UTC, nullable=True),
        sa.Column("next_at", UTC, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"],
                                name=op.f("fk_tracking_polls_shipment_id_shipments")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_tracking_polls_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_tracking_polls")),
    )
    with op.batch_alter_table("tracking_polls", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_polls_due", ["next_at"], unique=False)

    op.create_table(
        "returns_centres",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_returns_centres_location_id_locations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_returns_centres_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "region", name=op.f("pk_returns_centres")),
    )


def downgrade() -> None:
    op.drop_table("returns_centres")
    with op.batch_alter_table("tracking_polls", schema=None) as batch_op:
        batch_op.drop_index("ix_tracking_polls_due")
    op.drop_table("tracking_polls")
    with op.batch_alter_table("carrier_pushes", schema=None) as batch_op:
        batch_op.drop_index("ix_carrier_pushes_state")
    op.drop_table("carrier_pushes")
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index("ix_tracking_events_shipment")
    op.drop_table("tracking_events")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_waybill")
