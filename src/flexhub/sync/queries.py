"""Sync's reads: what the planner, the pusher and reconciliation read."""

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from flexhub.catalog.model import BundleComponent
from flexhub.channels.model import Channel, InboundMessage, Listing, Reconciliation, StockPush
from flexhub.inventory.model import Location, StockLevel
from flexhub.kernel import clock
from flexhub.ordering.model import Order, OrderLine
from flexhub.sync.push_calls import BULK, FELL, NEAR_ZERO, URGENT

# Urgent first (push_calls.urgency, without the store's sales since, which the pusher weighs once the rows are read): a
# figure near zero below what the store was told, or a first one near zero; then any figure below what the store was
# told (a sale: the store may sell what is gone); then the rest (restocks, first figures, corrections upward) fill
# what budget is left, oldest first.
_FELL = StockPush.quantity < StockPush.pushed_quantity
URGENT_FIRST = case((and_(StockPush.quantity <= NEAR_ZERO, or_(_FELL, StockPush.pushed_quantity.is_(None))), URGENT),
                    (_FELL, FELL), else_=BULK)


def due_pushes(connection: Connection, now: datetime, caps: Mapping[str, int], default_cap: int,
               channel_id: uuid.UUID | None = None) -> list[Any]:
    """Waiting figures due by `now` (of one channel when given), each channel's urgent first and at most its
    platform's cap (`caps`, by platform; `default_cap` for others), each with its listing's platform ids, its channel
    (id, tenant, platform, sealed credentials) and the units its channel sold of it since its last confirmed push.
    Capped per channel, not in all: one channel's thousands of first figures must not keep the other channels' out
    of the turn."""
    rank = func.row_number().over(partition_by=StockPush.channel_id,
                                  order_by=(URGENT_FIRST, StockPush.changed_at)).label("rank")
    due = [StockPush.state == "pending", StockPush.next_attempt_at <= now]
    if channel_id is not None:
        due.append(StockPush.channel_id == channel_id)
    ranked = (select(StockPush.listing_id, rank, Channel.platform)
              .join(Channel, Channel.id == StockPush.channel_id).where(*due).subquery())
    cap = case(dict(caps), value=ranked.c.platform, else_=default_cap) if caps else default_cap
    query = (
        select(StockPush.listing_id, StockPush.quantity, StockPush.version, StockPush.pushed_quantity,
               StockPush.attempts, StockPush.changed_at, StockPush.figure_at, sold_since_push().label("sold_since"),
               Listing.external_sku,
               Listing.external_item_id, Listing.external_location_id, Channel.id.label("channel_id"),
               Channel.tenant_id, Channel.platform, Channel.credentials)
        .join(ranked, ranked.c.listing_id == StockPush.listing_id)
        .join(Listing, Listing.id == StockPush.listing_id)
        .join(Channel, Channel.id == StockPush.channel_id)
        .where(ranked.c.rank <= cap)
        .order_by(StockPush.channel_id, ranked.c.rank)
    )
    return list(connection.execute(query))


def channels_due(connection: Connection, now: datetime) -> list[uuid.UUID]:
    """Channels with a figure due by `now`."""
    return list(connection.execute(select(StockPush.channel_id).distinct().where(
        StockPush.state == "pending", StockPush.next_attempt_at <= now)).scalars())


def sold_since_push() -> Any:
    """Units of the listing's SKU in the channel's orders imported since its last confirmed push."""
    return (select(func.coalesce(func.sum(OrderLine.quantity), 0))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.channel_id == StockPush.channel_id, OrderLine.sku_id == Listing.sku_id,
                   Order.created_at > StockPush.pushed_at)
            .correlate(StockPush, Listing).scalar_subquery())


def sold_since_pushed(connection: Connection, listing_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Units each of these listings' stores sold since its last confirmed push (those that sold any)."""
    if not listing_ids:
        return {}
    sold = sold_since_push()
    query = (select(StockPush.listing_id, sold).join(Listing, Listing.id == StockPush.listing_id)
             .where(StockPush.listing_id.in_(list(listing_ids)), StockPush.pushed_at.is_not(None)))
    return {listing: int(units) for listing, units in connection.execute(query) if units}


def channel_listings(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID) -> list[Any]:
    """A channel's listings with their platform ids, by external SKU (what reconciliation reads back)."""
    return list(connection.execute(
        select(Listing.id, Listing.external_sku, Listing.external_item_id, Listing.external_location_id)
        .where(Listing.tenant_id == tenant_id, Listing.channel_id == channel_id).order_by(Listing.external_sku)))


def channel_pushes(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID) -> dict[uuid.UUID, Any]:
    """A channel's push rows by listing."""
    return {row.listing_id: row for row in connection.execute(select(StockPush).where(
        StockPush.tenant_id == tenant_id, StockPush.channel_id == channel_id))}


def channels_last_reconciled(connection: Connection) -> list[Any]:
    """Every channel, with when its last reconciliation started (`at`, None if never)."""
    last = (select(Reconciliation.channel_id, func.max(Reconciliation.started_at).label("at"))
            .group_by(Reconciliation.channel_id).subquery())
    return list(connection.execute(select(Channel, last.c.at).outerjoin(last, last.c.channel_id == Channel.id)))


def listed_skus(connection: Connection) -> list[Any]:
    """(tenant, SKU) of everything listed anywhere."""
    return list(connection.execute(select(Listing.tenant_id, Listing.sku_id).distinct()))


def inbound_behind(connection: Connection, tenant_id: uuid.UUID) -> tuple[float, int]:
    """Seconds since the oldest channel message kept but not imported yet, and how many wait."""
    oldest, waiting = connection.execute(select(func.min(InboundMessage.received_at), func.count()).where(
        InboundMessage.state == "pending", InboundMessage.tenant_id == tenant_id)).one()
    return (max(0.0, (clock.now() - clock.as_utc(oldest)).total_seconds()) if oldest else 0.0), int(waiting)


def affected_listings(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[uuid.UUID]) -> list[Any]:
    """Every listing showing these SKUs or a bundle of them, with its channel's pools and settings and the figure it
    was last given (`figure`, None before its first)."""
    bundle_ids = select(BundleComponent.bundle_id).where(
        BundleComponent.tenant_id == tenant_id, BundleComponent.component_id.in_(sku_ids))
    query = (
        select(Listing.id, Listing.sku_id, Listing.channel_id, Listing.external_sku, Listing.allocation, Channel.code,
               Channel.pools, Channel.settings, StockPush.quantity.label("figure"))
        .join(Channel, Channel.id == Listing.channel_id)
        .outerjoin(StockPush, StockPush.listing_id == Listing.id)
        .where(Listing.tenant_id == tenant_id, Listing.sku_id.in_(sku_ids) | Listing.sku_id.in_(bundle_ids))
    )
    return list(connection.execute(query))


def push_rounds(connection: Connection, tenant_id: uuid.UUID, since: datetime) -> list[Any]:
    """The tenant's push rows that tell each channel's round (allocation.channel_rounds): those waiting (pending,
    feeding) and those confirmed since `since`, each as (channel_id, state, changed_at, pushed_at)."""
    return list(connection.execute(
        select(StockPush.channel_id, StockPush.state, StockPush.changed_at, StockPush.pushed_at)
        .where(StockPush.tenant_id == tenant_id,
               or_(StockPush.state.in_(("pending", "feeding")),
                   and_(StockPush.state == "synced", StockPush.pushed_at >= since)))))


def available_units(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[uuid.UUID]) -> dict[tuple, int]:
    """Units available per (SKU, pool) at the nodes that ship."""
    query = (
        select(StockLevel.sku_id, StockLevel.pool, StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(sku_ids), Location.can_ship.is_(True))
    )
    totals: dict[tuple, int] = defaultdict(int)
    for row in connection.execute(query):
        totals[(row.sku_id, row.pool)] += max(0, row.on_hand - row.reserved - row.safety)
    return totals


def moving_listings(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[uuid.UUID]) -> list[Any]:
    """The listings of these SKUs with their platform ids, each with its channel (id, platform, sealed credentials):
    what a channel's published round is reckoned over (published_rounds)."""
    return list(connection.execute(
        select(Listing.channel_id, Channel.platform, Channel.credentials, Listing.external_sku,
               Listing.external_item_id, Listing.external_location_id)
        .join(Channel, Channel.id == Listing.channel_id)
        .where(Listing.tenant_id == tenant_id, Listing.sku_id.in_(sku_ids))))
