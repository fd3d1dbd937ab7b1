"""erp: connections, documents sent once, mappings and the unmapped queue, cursors, conflicts

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erp_connections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=False),
        sa.Column("allow_private", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("settings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_erp_connections_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_connections")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_erp_connections_tenant_id_code")),
    )
    op.create_table(
        "erp_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("hub_value", sa.Text(), nullable=True),
        sa.Column("erp_value", sa.Text(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["erp_connections.id"], name=op.f("fk_erp_conflicts_connection_id_erp_connections")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_erp_conflicts_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_conflicts")),
        sa.UniqueConstraint(
            "connection_id", "entity", "key", "field", name=op.f("uq_erp_conflicts_connection_id_entity_key_field")
        ),
    )
    with op.batch_alter_table("erp_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_erp_conflicts_tenant", ["tenant_id", "connection_id"], unique=False)

    op.create_table(
        "erp_cursors",
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("cursor", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["erp_connections.id"], name=op.f("fk_erp_cursors_connection_id_erp_connections")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_erp_cursors_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("connection_id", "stream", name=op.f("pk_erp_cursors")),
    )
    op.create_table(
        "erp_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("hub_ref", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("erp_id", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["erp_connections.id"], name=op.f("fk_erp_documents_connection_id_erp_connections")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_erp_documents_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_documents")),
        sa.UniqueConstraint(
            "connection_id", "kind", "hub_ref", name=op.f("uq_erp_documents_connection_id_kind_hub_ref")
        ),
    )
    with op.batch_alter_table("erp_documents", schema=None) as batch_op:
        batch_op.create_index("ix_erp_documents_state", ["tenant_id", "connection_id", "state"], unique=False)

    op.create_table(
        "erp_mappings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("connection_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hub_code", sa.String(length=120), nullable=True),
        sa.Column("erp_ref", sa.String(length=120), nullable=True),
        sa.Column("erp_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["erp_connections.id"], name=op.f("fk_erp_mappings_connection_id_erp_connections")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_erp_mappings_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_mappings")),
    )
    with op.batch_alter_table("erp_mappings", schema=None) as batch_op:
        batch_op.create_index("ix_erp_mappings_erp", ["connection_id", "kind", "erp_ref"], unique=False)
        batch_op.create_index("ix_erp_mappings_hub", ["connection_id", "kind", "hub_code"], unique=False)
        batch_op.create_index("ix_erp_mappings_tenant", ["tenant_id", "connection_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("erp_mappings", schema=None) as batch_op:
        batch_op.drop_index("ix_erp_mappings_tenant")
        batch_op.drop_index("ix_erp_mappings_hub")
        batch_op.drop_index("ix_erp_mappings_erp")

    op.drop_table("erp_mappings")
    with op.batch_alter_table("erp_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_erp_documents_state")

    op.drop_table("erp_documents")
    op.drop_table("erp_cursors")
    with op.batch_alter_table("erp_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_erp_conflicts_tenant")

    op.drop_table("erp_conflicts")
    op.drop_table("erp_connections")
