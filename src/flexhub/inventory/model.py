"""Tables of locations, stock levels (the ledger's projection), movements, reservations, transfers."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Location(Base):
    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    region: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    province: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    can_ship: Mapped[bool] = mapped_column(default=True)
    can_pickup: Mapped[bool] = mapped_column(default=False)
    # Lower goes first when stock is reserved before routing has chosen a node.
    priority: Mapped[int] = mapped_column(default=100)
    daily_capacity: Mapped[int | None]
    # Routing constraints: high-value SKUs ship only from secure nodes, fragile ones from nodes that pack them.
    secure: Mapped[bool] = mapped_column(default=False)
    packs_fragile: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()


class StockLevel(Base):
    """One row per (SKU, location, pool): a projection of the ledger, plus the safety stock setting."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sku_id", "location_id", "pool"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        CheckConstraint("safety >= 0", name="safety_not_negative"),
        CheckConstraint("in_transit >= 0", name="in_transit_not_negative"),
    )

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    pool: Mapped[str] = mapped_column(String(80))
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    safety: Mapped[int] = mapped_column(default=0)
    in_transit: Mapped[int] = mapped_column(default=0)


class StockMovement(Base):
    """The append-only ledger: every change of on hand, reserved or in transit, with who and why."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_movements_level", "tenant_id", "sku_id", "location_id", "pool"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    pool: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    on_hand_delta: Mapped[int] = mapped_column(default=0)
    reserved_delta: Mapped[int] = mapped_column(default=0)
    in_transit_delta: Mapped[int] = mapped_column(default=0)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        Index("ix_reservations_order", "order_id"),
        Index("ix_reservations_expiry", "state", "expires_at"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"))
    line_no: Mapped[int | None]
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    pool: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="active")
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None]


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    from_location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    to_location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    state: Mapped[str] = mapped_column(String(16), default="in_transit")
    reference: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()
    received_at: Mapped[datetime | None]


class TransferLine(Base):
    __tablename__ = "transfer_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid.UUID] = id_column()
    transfer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transfers.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    pool: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int]


class BinAssignment(Base):
    """Where a SKU sits at a node (aisle, shelf, bin, as the warehouse names it): picking lists walk in its order."""

    __tablename__ = "bin_assignments"

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    bin: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()
