"""Replenishment tables: the learned forecast models a tenant trained (the latest one is used)."""

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
