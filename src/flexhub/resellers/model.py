"""Reseller tables: commercial terms per reseller (credit limit, 代发费 per order, 仓储费 per unit-day), its price
list (供货价) by validity dates, and its account: what it owes and has paid, entry by entry."""

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class ResellerTerms(Base):
    __tablename__ = "reseller_terms"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    credit_limit: Mapped[int | None]  # minor units; None: no limit
    dropship_fee: Mapped[int]  # 代发费, per order
    storage_fee_per_unit_day: Mapped[int]  # 仓储费 on consigned stock, per unit and day
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = created_at_column()


class ResellerPrice(Base):
    __tablename__ = "reseller_prices"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    valid_from: Mapped[date] = mapped_column(primary_key=True)
    valid_to: Mapped[date | None]  # exclusive; None: until a later price
    unit_price: Mapped[int]


class AccountEntry(Base):
    """One movement of a reseller's account: + it owes (goods at its price, 代发费), − credited (an order
    cancelled, a payment)."""

    __tablename__ = "reseller_entries"
    __table_args__ = (Index("ix_reseller_entries_partner", "tenant_id", "partner_id", "at"),
                      Index("ix_reseller_entries_order", "tenant_id", "order_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    # goods | dropship_fee | storage_fee | cancelled | returned | payment
    kind: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"))
    reference: Mapped[str] = mapped_column(String(120))  # the order's number, the payment's reference
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = created_at_column()
    recorded_by: Mapped[str] = mapped_column(String(200))


class ResellerBrand(Base):
    """What a reseller's buyers see on its blind drop-ship parcels instead of the brand: its name, phone and logo
    on the packing slip, its name as the label's sender."""

    __tablename__ = "reseller_brands"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG or JPEG, as uploaded
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = created_at_column()
