"""Revision 0001, catalog: spus, skus, bundle_components."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def upgrade() -> None:
    op.create_table(
        "spus",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_spus_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spus")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_spus_tenant_id_code")),
    )
    op.create_table(
        "skus",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("spu_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("weight_g", sa.Integer(), nullable=True),
        sa.Column("fragile", sa.Boolean(), nullable=False),
        sa.Column("high_value", sa.Boolean(), nullable=False),
        sa.Column("is_bundle", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["spu_id"], ["spus.id"], name=op.f("fk_skus_spu_id_spus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_skus_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skus")),
        sa.UniqueConstraint("tenant_id", "barcode", name=op.f("uq_skus_tenant_id_barcode")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_skus_tenant_id_code")),
    )
    op.create_table(
        "bundle_components",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("component_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_bundle_components_quantity_positive")),
        sa.ForeignKeyConstraint(["bundle_id"], ["skus.id"], name=op.f("fk_bundle_components_bundle_id_skus")),
        sa.ForeignKeyConstraint(["component_id"], ["skus.id"], name=op.f("fk_bundle_components_component_id_skus")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_bundle_components_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("bundle_id", "component_id", name=op.f("pk_bundle_components")),
    )


def downgrade() -> None:
    op.drop_table("bundle_components")
    op.drop_table("skus")
    op.drop_table("spus")
