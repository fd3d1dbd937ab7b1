"""Purchasing tables: supplier terms per SKU, factories, orders and their lines, shipment notices (ASNs) and
the discrepancies receiving found."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class SupplierSku(Base):
    """A supplier's terms for one SKU; replenishment plans on the one with the lowest priority."""

    __tablename__ = "supplier_skus"
    __table_args__ = (UniqueConstraint("tenant_id", "sku_id", "partner_id"),
                      CheckConstraint("moq >= 1 AND pack >= 1 AND lead_time_days >= 0 AND unit_cost >= 0",
                                      name="terms_valid"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    lead_time_days: Mapped[int]
    moq: Mapped[int] = mapped_column(default=1)
    pack: Mapped[int] = mapped_column(default=1)
    unit_cost: Mapped[int] = mapped_column(default=0)  # minor units of `currency`
    currency: Mapped[str] = mapped_column(String(3))
    priority: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[datetime] = created_at_column()


class Factory(Base):
    """A supplier partner that is the brand's own factory: it gets production orders within its capacity."""

    __tablename__ = "factories"
    __table_args__ = (CheckConstraint("daily_capacity >= 0", name="capacity_not_negative"),)

    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    daily_capacity: Mapped[int]  # units a day


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (Index("ix_purchase_orders_partner", "tenant_id", "partner_id", "state"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(16))  # purchase | production
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    currency: Mapped[str] = mapped_column(String(3))
    expected_on: Mapped[date]
    proposed_on: Mapped[date | None]  # the supplier's date while the order is `changed`
    state: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "sku_id"),
                      CheckConstraint("quantity > 0 AND received >= 0 AND announced >= 0", name="quantities_valid"))

    id: Mapped[uuid.UUID] = id_column()
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("purchase_orders.id"))
    line_no: Mapped[int]
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int]
    unit_cost: Mapped[int]
    proposed_quantity: Mapped[int | None]  # the supplier's quantity while the order is `changed`
    announced: Mapped[int] = mapped_column(default=0)  # units on shipment notices not yet received
    received: Mapped[int] = mapped_column(default=0)


class Asn(Base):
    """An advance shipping notice: what the supplier sent against one order, when it should arrive, how."""

    __tablename__ = "asns"
    __table_args__ = (Index("ix_asns_order", "tenant_id", "order_id"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("purchase_orders.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    expected_on: Mapped[date]
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="announced")  # announced | received
    created_at: Mapped[datetime] = created_at_column()
    received_at: Mapped[datetime | None]
    received_by: Mapped[str | None] = mapped_column(String(200))


class AsnLine(Base):
    __tablename__ = "asn_lines"
    __table_args__ = (UniqueConstraint("asn_id", "sku_id"),
                      CheckConstraint("quantity > 0 AND (received IS NULL OR received >= 0)",
                                      name="quantities_valid"))

    id: Mapped[uuid.UUID] = id_column()
    asn_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("asns.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    quantity: Mapped[int]
    received: Mapped[int | None]


class Discrepancy(Base):
    """What receiving found different from the notice: short, over, or a SKU nobody announced."""

    __tablename__ = "receipt_discrepancies"
    __table_args__ = (Index("ix_receipt_discrepancies_open", "tenant_id", "state"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("purchase_orders.id"))
    asn_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("asns.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    kind: Mapped[str] = mapped_column(String(16))  # short | over | unexpected
    expected: Mapped[int]
    received: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
