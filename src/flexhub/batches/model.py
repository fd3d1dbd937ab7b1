"""Batch tables: a batch (who started it, the action, when it finished) and one row per order with its outcome."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class OrderBatch(Base):
    __tablename__ = "order_batches"
    __table_args__ = (Index("ix_order_batches_tenant", "tenant_id", "created_at"),
                      Index("ix_order_batches_state", "state"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    action: Mapped[str] = mapped_column(String(16))
    options: Mapped[dict[str, Any]] = mapped_column()  # reason, carrier
    state: Mapped[str] = mapped_column(String(16))  # running | done
    total: Mapped[int]
    role: Mapped[str] = mapped_column(String(16))  # the starter's: each order's command runs with it
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None]


class OrderBatchItem(Base):
    __tablename__ = "order_batch_items"
    __table_args__ = (Index("ix_order_batch_items_state", "state", "batch_id"),)

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_batches.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    state: Mapped[str] = mapped_column(String(16))  # pending | running | done | failed
    outcome: Mapped[str | None] = mapped_column(String(64))  # the order's status after, or the error's code
    error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
