"""The alerts table: one row per alert raised, open until the condition clears."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class StockAlert(Base):
    __tablename__ = "stock_alerts"
    __table_args__ = (Index("ix_stock_alerts_open", "tenant_id", "state", "kind"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    kind: Mapped[str] = mapped_column(String(16))  # stockout | excess
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | cleared
    detail: Mapped[dict[str, Any]]  # the figures when raised: position, daily demand, date or cover
    raised_at: Mapped[datetime] = created_at_column()
    cleared_at: Mapped[datetime | None]
