"""each training run of the learned forecast (planner, CLI, schedule): when, how long, its hold-out error

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forecast_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("model_id", sa.Uuid(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("history_days", sa.Integer(), nullable=False),
        sa.Column("series", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("holdout_days", sa.Integer(), nullable=True),
        sa.Column("holdout_wape", sa.Double(), nullable=True),
        sa.Column("holdout_bias", sa.Double(), nullable=True),
        sa.Column("core_wape", sa.Double(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_forecast_runs_tenant_id_tenants")),
        sa.ForeignKeyConstraint(["model_id"], ["forecast_models.id"],
                                name=op.f("fk_forecast_runs_model_id_forecast_models")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_runs")),
    )
    op.create_index("ix_forecast_runs_tenant", "forecast_runs", ["tenant_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_forecast_runs_tenant", table_name="forecast_runs")
    op.drop_table("forecast_runs")
