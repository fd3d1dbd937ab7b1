"""Tables of canonical orders and their lines, and what ordering reads of the sales channel an order comes through."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid, column, table
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, JsonDocument, created_at_column, id_column


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("external_id", "channel_id"),  # invariant 3: an order is processed once (0032)
        Index("ix_orders_tenant_status", "tenant_id", "status"),
        Index("ix_orders_channel_created", "channel_id", "created_at"),  # a channel's orders since a time (sync)
    )

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    external_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(24))
    status_reason: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int]
    discount_total: Mapped[int] = mapped_column(default=0)
    shipping_fee: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    payment_state: Mapped[str] = mapped_column(String(16))
    is_presale: Mapped[bool] = mapped_column(default=False)
    is_vip: Mapped[bool] = mapped_column(default=False)
    live_room: Mapped[str | None] = mapped_column(String(120))
    streamer: Mapped[str | None] = mapped_column(String(120))
    buyer: Mapped[dict[str, Any]]
    shipping_address: Mapped[dict[str, Any]]
    placed_at: Mapped[datetime | None]
    channel_updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        Index("ix_order_lines_order", "order_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    line_no: Mapped[int]
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    sku_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    discount: Mapped[int] = mapped_column(default=0)
    is_presale: Mapped[bool] = mapped_column(default=False)
    external_line_id: Mapped[str | None] = mapped_column(String(120))


# The sales channel an order names, as ordering reads it: its code, its reseller, the pools it sells from and how long
# an unpaid order keeps its stock. `channels` declares and writes the table (channels.model.Channel); ordering only
# reads these columns, as its writer's SQL does (writer/sql.py), so ordering does not import channels and channels,
# which hands orders to the order writer, sits above it. tests/unit/ordering/test_writer_sql.py checks them against
# the table.
SalesChannel = table(
    "channels",
    column("id", Uuid()),
    column("tenant_id", Uuid()),
    column("partner_id", Uuid()),
    column("code", String(64)),
    column("pools", JsonDocument),
    column("unpaid_hold_minutes", Integer()),
)
