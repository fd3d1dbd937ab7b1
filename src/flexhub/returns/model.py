"""Return tables: an RMA and its lines, each with what came back and how it was graded; the regional returns
centres."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Return(Base):
    __tablename__ = "returns"
    __table_args__ = (UniqueConstraint("tenant_id", "source", "external_id"), Index("ix_returns_order", "order_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"))
    source: Mapped[str] = mapped_column(String(64))  # "manual", or the channel code of the refund request
    external_id: Mapped[str | None] = mapped_column(String(120))  # the channel's refund request id
    reason: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))  # open | received | inspected
    # Where it is received: the RMA's returns centre, set at creation or at receipt.
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    created_at: Mapped[datetime] = created_at_column()
    received_at: Mapped[datetime | None]
    inspected_at: Mapped[datetime | None]


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (Index("ix_return_lines_return", "return_id"), Index("ix_return_lines_sku", "tenant_id", "sku_id"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    return_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("returns.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int]  # expected back
    received: Mapped[int] = mapped_column(default=0)
    resellable: Mapped[int] = mapped_column(default=0)
    refurbish: Mapped[int] = mapped_column(default=0)
    scrap: Mapped[int] = mapped_column(default=0)


class ReturnsCentre(Base):
    """The tenant's regional returns centre: the node that receives RMAs from buyers in `region` (a province or
    state as addresses name it, or "*" for everywhere else), used when an RMA names none."""

    __tablename__ = "returns_centres"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    region: Mapped[str] = mapped_column(String(64), primary_key=True)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    updated_at: Mapped[datetime] = created_at_column()
