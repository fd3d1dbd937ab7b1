"""Finance tables: imported settlement statements and their lines (each kept with its raw text), a channel's
fee terms by the date they take effect, and the differences a person resolved."""

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Statement(Base):
    """One statement file as imported: the same content for the same channel is one statement (its hash)."""

    __tablename__ = "finance_statements"
    __table_args__ = (UniqueConstraint("tenant_id", "channel_id", "content_hash"),
                      Index("ix_finance_statements_channel", "tenant_id", "channel_id", "imported_at"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    format: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the text, hex
    line_count: Mapped[int]
    unreadable_count: Mapped[int]
    first_at: Mapped[datetime | None]  # the earliest and latest time its lines carry
    last_at: Mapped[datetime | None]
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = created_at_column()


class StatementRow(Base):
    """One line of a statement, read (`finance.formats.lines.StatementLine`) or unreadable (`error`), with the
    text it was read from. Amounts in minor units."""

    __tablename__ = "finance_statement_lines"
    __table_args__ = (UniqueConstraint("statement_id", "line_no"),
                      Index("ix_finance_lines_channel", "tenant_id", "channel_id", "occurred_at"),
                      Index("ix_finance_lines_order", "tenant_id", "channel_id", "external_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    statement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("finance_statements.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    line_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[int] = mapped_column(default=0)
    fee: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str | None] = mapped_column(String(3))
    occurred_at: Mapped[datetime | None]
    event: Mapped[str | None] = mapped_column(String(300))
    part: Mapped[str] = mapped_column(String(120), default="")
    reference: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(300), default="")
    raw: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class FeeTermsVersion(Base):
    """What a channel charges from `effective_from` on, until a later version. Rates in parts per million."""

    __tablename__ = "finance_fee_terms"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    effective_from: Mapped[date] = mapped_column(primary_key=True)
    commission_ppm: Mapped[int] = mapped_column(default=0)
    payment_fee_ppm: Mapped[int] = mapped_column(default=0)
    fixed_per_order: Mapped[int] = mapped_column(default=0)
    subsidy_ppm: Mapped[int] = mapped_column(default=0)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = created_at_column()


class DifferenceResolution(Base):
    """A difference a person looked at, with their note. `difference_id` is the difference's stable id (from
    its channel, kind, order and lines): the same difference found again shows as resolved."""

    __tablename__ = "finance_resolutions"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    difference_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    kind: Mapped[str] = mapped_column(String(24))
    external_id: Mapped[str | None] = mapped_column(String(120))
    expected: Mapped[int | None]
    actual: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text)
    resolved_by: Mapped[str] = mapped_column(String(200))
    resolved_at: Mapped[datetime] = created_at_column()


class LandedCost(Base):
    """Freight, duty or another cost of bringing a receipt in (`reference`, the receipt's ledger reference
    `po:<order>/asn:<notice>`), allocated onto the units it received by value or by quantity when costs are
    replayed. Minor units."""

    __tablename__ = "finance_landed_costs"
    __table_args__ = (Index("ix_finance_landed_costs_receipt", "tenant_id", "reference"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    reference: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # freight | duty | insurance | other
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    basis: Mapped[str] = mapped_column(String(8))  # value | quantity
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = created_at_column()


class CarrierCharge(Base):
    """What the carrier charged for a waybill, from its bill or as recorded by a person: profit's shipping for the
    order the waybill's shipment belongs to. The latest recorded charge of a waybill is kept."""

    __tablename__ = "finance_carrier_charges"
    __table_args__ = (UniqueConstraint("tenant_id", "waybill_number"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    waybill_number: Mapped[str] = mapped_column(String(64))
    carrier: Mapped[str | None] = mapped_column(String(32))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(200))  # the bill's name, or "recorded"
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = created_at_column()


class ReturnCost(Base):
    """What bringing a return back cost the seller apart from the goods: the carrier's charge for the parcel back
    (`shipping`), the warehouse's handling and restocking (`handling`), or another cost (`other`). Profit counts it
    against the order the return belongs to, shared over the return's SKUs by the units expected back. Minor units."""

    __tablename__ = "finance_return_costs"
    __table_args__ = (Index("ix_finance_return_costs_return", "tenant_id", "return_id"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    return_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("returns.id"))
    kind: Mapped[str] = mapped_column(String(16))  # shipping | handling | other
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    waybill_number: Mapped[str | None] = mapped_column(String(64))  # the parcel back, when the carrier billed it
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = created_at_column()


class ExchangeRate(Base):
    """How many units of `to_currency` one unit of `from_currency` is worth on `day`, as a person recorded it (a
    decimal, kept as text so it stays exact). Costs and charges are converted with the rate of their day."""

    __tablename__ = "finance_exchange_rates"
    __table_args__ = (UniqueConstraint("tenant_id", "from_currency", "to_currency", "day",
                                       name="uq_finance_exchange_rates_day"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date]
    rate: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))  # where the rate comes from (a bank's fixing, the ECB's)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = created_at_column()


class Books(Base):
    """The tenant's books: the currency its moving-average costs are kept in (CNY when it set none)."""

    __tablename__ = "finance_books"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    cost_currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[datetime] = created_at_column()
