"""Stores tables: the shelf price of each SKU (what the shopper's page shows and a store sale charges)."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column


class ShelfPrice(Base):
    __tablename__ = "shelf_prices"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"), primary_key=True)
    amount: Mapped[int]  # minor units of `currency`
    currency: Mapped[str] = mapped_column(String(3))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()
