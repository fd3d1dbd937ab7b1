"""finance: settlement statements and their lines (raw text kept), fee terms by effective date, resolved differences

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finance_fee_terms",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("commission_ppm", sa.Integer(), nullable=False),
        sa.Column("payment_fee_ppm", sa.Integer(), nullable=False),
        sa.Column("fixed_per_order", sa.Integer(), nullable=False),
        sa.Column("subsidy_ppm", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_finance_fee_terms_channel_id_channels")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_finance_fee_terms_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "channel_id", "effective_from", name=op.f("pk_finance_fee_terms")),
    )
    op.create_table(
        "finance_resolutions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("difference_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("actual", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.String(length=200), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_finance_resolutions_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_finance_resolutions_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", "difference_id", name=op.f("pk_finance_resolutions")),
    )
    op.create_table(
        "finance_statements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("unreadable_count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_finance_statements_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_finance_statements_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_statements")),
        sa.UniqueConstraint(
            "tenant_id",
            "channel_id",
            "content_hash",
            name=op.f("uq_finance_statements_tenant_id_channel_id_content_hash"),
        ),
    )
    with op.batch_alter_table("finance_statements", schema=None) as batch_op:
        batch_op.create_index("ix_finance_statements_channel", ["tenant_id", "channel_id", "imported_at"], unique=False)

    op.create_table(
        "finance_statement_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("statement_id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event", sa.String(length=300), nullable=True),
        sa.Column("part", sa.String(length=120), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_finance_statement_lines_channel_id_channels")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["finance_statements.id"],
            name=op.f("fk_finance_statement_lines_statement_id_finance_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_finance_statement_lines_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_statement_lines")),
        sa.UniqueConstraint("statement_id", "line_no", name=op.f("uq_finance_statement_lines_statement_id_line_no")),
    )
    with op.batch_alter_table("finance_statement_lines", schema=None) as batch_op:
        batch_op.create_index("ix_finance_lines_channel", ["tenant_id", "channel_id", "occurred_at"], unique=False)
        batch_op.create_index("ix_finance_lines_order", ["tenant_id", "channel_id", "external_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("finance_statement_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_finance_lines_order")
        batch_op.drop_index("ix_finance_lines_channel")

    op.drop_table("finance_statement_lines")
    with op.batch_alter_table("finance_statements", schema=None) as batch_op:
        batch_op.drop_index("ix_finance_statements_channel")

    op.drop_table("finance_statements")
    op.drop_table("finance_resolutions")
    op.drop_table("finance_fee_terms")
