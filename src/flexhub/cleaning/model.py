"""Cleaning tables: a tenant's rules, the holds they put on orders, and what earlier orders looked like (the
keys duplicate, velocity and first-order rules find them by)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, JsonDocument, created_at_column, id_column


class CleaningRule(Base):
    __tablename__ = "cleaning_rules"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(64))  # a channel code: only its orders
    enabled: Mapped[bool] = mapped_column(default=True)
    params: Mapped[dict[str, Any]]
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = created_at_column()


class OrderHold(Base):
    """Why an order was held before it took stock; closed when a person releases or cancels it."""

    __tablename__ = "order_holds"
    __table_args__ = (Index("ix_order_holds_order", "tenant_id", "order_id"),
                      Index("ix_order_holds_open", "tenant_id", "closed_at"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))  # the order's, for scope
    reason: Mapped[str] = mapped_column(String(40))  # "cleaning" or "credit_limit"
    findings: Mapped[list[Any]] = mapped_column(JsonDocument)
    held_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(16))  # released | cancelled


class OrderFingerprint(Base):
    """An order as the history rules see it, kept only for tenants whose rules look back."""

    __tablename__ = "order_fingerprints"
    __table_args__ = (Index("ix_order_fingerprints_buyer", "tenant_id", "buyer_key", "seen_at"),
                      Index("ix_order_fingerprints_address", "tenant_id", "address_key", "seen_at"),
                      Index("ix_order_fingerprints_device", "tenant_id", "device_key", "seen_at"))

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    buyer_key: Mapped[str] = mapped_column(String(200))
    address_key: Mapped[str] = mapped_column(String(32))
    device_key: Mapped[str | None] = mapped_column(String(120))
    lines_key: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime]
