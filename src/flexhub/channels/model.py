"""Channel tables: stores on platforms, their listings, raw inbound messages and the nonces their pushes signed,
poll cursors, exceptions."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("tenant_id", "code"), Index("ix_channels_code_platform", "code", "platform"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    code: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # The pools this channel sells from, in the order they are drawn (invariant 4).
    pools: Mapped[list[str]] = mapped_column(default=lambda: ["spot"])
    # Minutes an unpaid order keeps its reservation; None keeps it until cancelled.
    unpaid_hold_minutes: Mapped[int | None]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The platform credentials, encrypted (Fernet); never returned by the API.
    credentials: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class Listing(Base):
    """A channel's item/SKU mapped to one of our SKUs (or bundles)."""

    __tablename__ = "channel_listings"
    __table_args__ = (UniqueConstraint("channel_id", "external_sku"), Index("ix_listings_sku", "tenant_id", "sku_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    external_sku: Mapped[str] = mapped_column(String(120))
    external_item_id: Mapped[str | None] = mapped_column(String(120))
    external_location_id: Mapped[str | None] = mapped_column(String(120))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    # This listing's allocation policy (flexhub.channels.allocation.Policy); empty: the channel's.
    allocation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()


class StockPush(Base):
    """The figure a listing should show, and what the platform last confirmed: one row per listing.

    A new figure replaces a waiting one (coalescing); `version` tells a figure that changed while
    its push was in flight from one that did not.
    """

    __tablename__ = "channel_stock_pushes"
    __table_args__ = (Index("ix_stock_pushes_due", "state", "next_attempt_at"),)

    listing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel_listings.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    quantity: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    # pending | feeding (in a bulk feed the platform is processing, sync/feeds.py) | synced | dead
    state: Mapped[str] = mapped_column(String(16), default="pending")
    pushed_quantity: Mapped[int | None]
    pushed_version: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    changed_at: Mapped[datetime]  # when the oldest figure not yet confirmed was decided
    # When the newest figure was decided (None: before migration 0023). A push confirmed while a newer figure came
    # leaves changed_at at the sent figure's figure_at: the newer one was decided no earlier than that.
    figure_at: Mapped[datetime | None]
    pushed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class StockFeed(Base):
    """A bulk stock document a platform is processing (Amazon's JSON_LISTINGS_FEED), and the figures it carries."""

    __tablename__ = "channel_stock_feeds"
    __table_args__ = (Index("ix_stock_feeds_open", "state", "channel_id"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    external_id: Mapped[str] = mapped_column(String(128))  # the platform's feed id
    state: Mapped[str] = mapped_column(String(16), default="processing")  # processing | done | failed
    # {"<external sku>": [listing id, quantity, version]}: what was sent, confirmed per SKU when the report comes
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    accepted: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)


class InboundMessage(Base):
    """A webhook body or polled order exactly as received, kept before anything is parsed."""

    __tablename__ = "channel_inbound"
    __table_args__ = (Index("ix_inbound_state", "state", "received_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    source: Mapped[str] = mapped_column(String(16))  # webhook | poll
    headers: Mapped[dict[str, Any]]
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | exception
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = created_at_column()
    processed_at: Mapped[datetime | None]


class PushNonce(Base):
    """A nonce a platform signed into a push (WeChat's `nonce`, with the signed `timestamp` it came with), kept
    until the push would be stale anyway: the same one again is a replay, refused by every API process alike."""

    __tablename__ = "channel_push_nonces"
    __table_args__ = (Index("ix_push_nonces_expires", "expires_at"),)

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    signed_at: Mapped[datetime] = mapped_column(primary_key=True)
    expires_at: Mapped[datetime]


class PollCursor(Base):
    __tablename__ = "channel_poll_cursors"

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"), primary_key=True)
    polled_until: Mapped[datetime | None]
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = created_at_column()


class ChannelException(Base):
    """Something from a channel that needs a person: an unmapped SKU, an order that does not validate."""

    __tablename__ = "channel_exceptions"
    __table_args__ = (Index("ix_channel_exceptions_open", "tenant_id", "state"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    inbound_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("channel_inbound.id"))
    kind: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None]


class Reconciliation(Base):
    """One reading of a channel's stock back from the platform: when, why, and what it found."""

    __tablename__ = "channel_reconciliations"
    __table_args__ = (Index("ix_reconciliations_channel", "channel_id", "started_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    trigger: Mapped[str] = mapped_column(String(16))  # schedule | request
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    listings_read: Mapped[int] = mapped_column(default=0)
    drifted: Mapped[int] = mapped_column(default=0)  # listings whose platform figure was not ours
    units: Mapped[int] = mapped_column(default=0)  # the differences' absolute sum
    unread: Mapped[int] = mapped_column(default=0)  # listings the platform did not answer for
    error: Mapped[str | None] = mapped_column(Text)


class StockDrift(Base):
    """A listing whose platform figure differed from ours when reconciliation read it (then corrected)."""

    __tablename__ = "channel_stock_drifts"
    __table_args__ = (Index("ix_stock_drifts_channel", "tenant_id", "channel_id", "found_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    reconciliation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel_reconciliations.id"))
    listing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel_listings.id"))
    platform_quantity: Mapped[int]
    our_quantity: Mapped[int]
    difference: Mapped[int]  # platform − ours
    found_at: Mapped[datetime]
