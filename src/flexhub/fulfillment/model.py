"""Fulfilment tables: shipments and their lines, carrier accounts, the channel notices waiting to go out, and
tracking: each carrier scan, each carrier push as received, and when each moving shipment is polled next."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Shipment(Base):
    """One parcel (or pickup) of an order from one node: its state, waybill, label and tracking."""

    __tablename__ = "shipments"
    __table_args__ = (Index("ix_shipments_order", "tenant_id", "order_id"),
                      Index("ix_shipments_state", "tenant_id", "state"),
                      Index("ix_shipments_waybill", "tenant_id", "waybill_number"))  # carrier pushes name waybills

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    state: Mapped[str] = mapped_column(String(16))
    state_reason: Mapped[str | None] = mapped_column(String(200))
    carrier: Mapped[str | None] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(64))
    # none (pickup, or a waybill given by hand) | pending | issued | failed
    waybill_state: Mapped[str] = mapped_column(String(16), default="none")
    waybill_number: Mapped[str | None] = mapped_column(String(64))
    waybill_attempts: Mapped[int] = mapped_column(default=0)
    waybill_error: Mapped[str | None] = mapped_column(String(500))
    label: Mapped[bytes | None] = mapped_column(LargeBinary)
    label_url: Mapped[str | None] = mapped_column(Text)
    label_format: Mapped[str | None] = mapped_column(String(8))
    pickup_code: Mapped[str | None] = mapped_column(String(6))
    tracking_state: Mapped[str | None] = mapped_column(String(24))
    last_event_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"
    __table_args__ = (Index("ix_shipment_lines_shipment", "shipment_id"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[uuid.UUID] = id_column()
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"))
    line_no: Mapped[int]
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    pool: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int]


class CarrierAccount(Base):
    """A carrier account of the tenant, for one node or (location_id NULL) for every node."""

    __tablename__ = "carrier_accounts"
    __table_args__ = (Index("ix_carrier_accounts_carrier", "tenant_id", "carrier"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    carrier: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    credentials: Mapped[str] = mapped_column(Text)  # sealed by the vault; never returned
    created_at: Mapped[datetime] = created_at_column()


class ShipmentNotice(Base):
    """"Shipped with tracking number", waiting to be told to the order's channel; retried, then parked."""

    __tablename__ = "shipment_notices"
    __table_args__ = (Index("ix_shipment_notices_due", "state", "next_attempt_at"),)

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None]


class TrackingEvent(Base):
    """One carrier scan of a shipment, kept once: a replayed push or poll finds its key taken and changes nothing."""

    __tablename__ = "tracking_events"
    __table_args__ = (UniqueConstraint("shipment_id", "at", "state", "carrier_code"),
                      Index("ix_tracking_events_shipment", "tenant_id", "shipment_id", "at"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"))
    state: Mapped[str] = mapped_column(String(24))  # one of shipping.carrier.TRACKING_STATES
    carrier_code: Mapped[str] = mapped_column(String(32))  # the carrier's own scan code ("" when given by hand)
    at: Mapped[datetime]
    description: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(16))  # push | poll | manual
    late: Mapped[bool] = mapped_column(default=False)  # older than the shipment's last event: kept, moved nothing
    recorded_at: Mapped[datetime] = created_at_column()


class CarrierPush(Base):
    """A carrier's tracking push exactly as received (verified), kept before anything is parsed."""

    __tablename__ = "carrier_pushes"
    __table_args__ = (Index("ix_carrier_pushes_state", "state", "received_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    carrier_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carrier_accounts.id"))
    carrier: Mapped[str] = mapped_column(String(32))
    headers: Mapped[dict[str, Any]]
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | failed
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = created_at_column()
    processed_at: Mapped[datetime | None]


class TrackingPoll(Base):
    """When a moving shipment's carrier was last asked for its tracking, and when to ask next."""

    __tablename__ = "tracking_polls"
    __table_args__ = (Index("ix_tracking_polls_due", "next_at"),)

    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    polled_at: Mapped[datetime | None]
    next_at: Mapped[datetime] = created_at_column()
    attempts: Mapped[int] = mapped_column(default=0)  # failed asks in a row
    last_error: Mapped[str | None] = mapped_column(String(500))
