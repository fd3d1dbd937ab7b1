"""Replenishment tables: the learned forecast models a tenant trained (the latest one is used), and each training run
(by a planner, the CLI or the schedule): when, how long, what came of it and how the model did on its hold-out."""

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class ForecastModel(Base):
    """A learned model trained on the tenant's history up to `through` (exclusive), of which it learned from the days
    before `learned_until` only (the rest are its out-of-sample days, for its quantiles)."""

    __tablename__ = "forecast_models"
    __table_args__ = (Index("ix_forecast_models_tenant", "tenant_id", "trained_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    method: Mapped[str] = mapped_column(String(32))
    through: Mapped[date]
    learned_until: Mapped[date]
    history_days: Mapped[int]
    series: Mapped[int]
    seconds: Mapped[float]
    model: Mapped[str] = mapped_column(Text)  # learned.dumps
    trained_by: Mapped[str] = mapped_column(String(200))
    trained_at: Mapped[datetime] = created_at_column()


class ForecastRun(Base):
    """One training run: `outcome` trained (its model, and its forecast's error over the hold-out beside the numpy
    core's on the same days) or refused (`error_code`, `detail`: too short a history, LightGBM missing) — a scheduled
    run's refusal is kept so planners see it; a planner's refused request keeps nothing."""

    __tablename__ = "forecast_runs"
    __table_args__ = (Index("ix_forecast_runs_tenant", "tenant_id", "started_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    trigger: Mapped[str] = mapped_column(String(16))  # api | cli | schedule | demo
    outcome: Mapped[str] = mapped_column(String(16))  # trained | refused
    model_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("forecast_models.id"))
    error_code: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(500))
    history_days: Mapped[int]
    series: Mapped[int]
    seconds: Mapped[float]
    holdout_days: Mapped[int | None]
    holdout_wape: Mapped[float | None]  # Σ|forecast − actual| ÷ Σ actual over the hold-out, the forecast the plans use
    holdout_bias: Mapped[float | None]  # Σ(forecast − actual) ÷ Σ actual
    core_wape: Mapped[float | None]  # the numpy core's WAPE over the same days, from the same origin
    started_at: Mapped[datetime]
