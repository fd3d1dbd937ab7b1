"""Reading channels. A partner's key sees its own channels only (Channel.partner_id); another tenant's channel or
another partner's is unknown to it, as a channel that does not exist.

The channels list: a partner's own, or the brand's every channel; by platform; sorted by code, name or platform.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, String, cast, func, select

from flexhub import identity, ordering
from flexhub.catalog.model import Sku
from flexhub.channels.allocation import Policy
from flexhub.channels.commands import ChannelCreated
from flexhub.channels.errors import UnknownChannel
from flexhub.channels.model import (
    Channel,
    ChannelException,
    InboundMessage,
    Listing,
    Reconciliation,
    StockDrift,
    StockPush,
)
from flexhub.lists import ListSpec


def visible_channel(connection: Connection, tenant_id: uuid.UUID, code: str,
                    partner_id: uuid.UUID | None = None) -> Any:
    """The channel of this code the tenant (or, with `partner_id`, that partner) holds; UnknownChannel (404) when
    there is none: another tenant's or another partner's is answered as one that does not exist."""
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.code == code)
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownChannel(f"unknown channel {code}")
    return row


def partner_listings(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> list[dict[str, Any]]:
    """A partner's stores and each listing's allotted available-to-sell: the figure the hub plans for it (its
    channel's pools and allocation policy applied) and what the platform last confirmed; None before the first."""
    query = (select(Channel.code, Channel.platform, Channel.name, Channel.pools, Listing.external_sku,
                    Sku.code.label("sku"), StockPush.quantity, StockPush.pushed_quantity, StockPush.state)
             .join(Listing, Listing.channel_id == Channel.id, isouter=True)
             .join(Sku, Sku.id == Listing.sku_id, isouter=True)
             .join(StockPush, StockPush.listing_id == Listing.id, isouter=True)
             .where(Channel.tenant_id == tenant_id, Channel.partner_id == partner_id)
             .order_by(Channel.code, Listing.external_sku))
    stores: dict[str, dict[str, Any]] = {}
    for r in connection.execute(query):
        store = stores.setdefault(r.code, {"code": r.code, "platform": r.platform, "name": r.name,
                                           "pools": list(r.pools), "listings": []})
        if r.external_sku is not None:
            store["listings"].append({"external_sku": r.external_sku, "sku": r.sku, "available": r.quantity,
                                      "shown": r.pushed_quantity, "state": r.state})
    return list(stores.values())


def pools_for_partner(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> set[str]:
    """The pools a partner's channels may sell from: all of stock a partner is shown."""
    query = select(Channel.pools).where(Channel.tenant_id == tenant_id, Channel.partner_id == partner_id)
    return {pool for (pools,) in connection.execute(query) for pool in pools}


def channel_view(created: ChannelCreated) -> dict[str, Any]:
    """What the API shows of a channel made: never its credentials, only their names."""
    return {"id": str(created.id), "code": created.code, "platform": created.platform, "name": created.name,
            "pools": created.pools, "unpaid_hold_minutes": created.unpaid_hold_minutes,
            "credential_names": created.credential_names, "missing_credentials": created.missing_credentials}


def sync_status(connection: Connection, tenant_id: uuid.UUID, channel_code: str) -> list[dict[str, Any]]:
    """Each listing's figure: what it should show, what the platform confirmed, and any trouble."""
    query = (
        select(StockPush, Listing.external_sku, Sku.code.label("sku_code"))
        .join(Listing, Listing.id == StockPush.listing_id)
        .join(Channel, Channel.id == StockPush.channel_id)
        .join(Sku, Sku.id == Listing.sku_id)
        .where(StockPush.tenant_id == tenant_id, Channel.code == channel_code)
        .order_by(Listing.external_sku)
    )
    return [
        {"external_sku": r.external_sku, "sku": r.sku_code, "quantity": r.quantity, "state": r.state,
         "pushed_quantity": r.pushed_quantity, "attempts": r.attempts, "last_error": r.last_error,
         "pushed_at": r.pushed_at, "next_attempt_at": r.next_attempt_at}
        for r in connection.execute(query)
    ]


def open_exceptions(connection: Connection, tenant_id: uuid.UUID, limit: int = 200, *,
                    partner_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Channel messages that need a person, newest first; with `partner_id`, those of its own channels."""
    query = (
        select(ChannelException, Channel.code.label("channel_code"))
        .join(Channel, Channel.id == ChannelException.channel_id)
        .where(ChannelException.tenant_id == tenant_id, ChannelException.state == "open")
        .order_by(ChannelException.created_at.desc())
        .limit(limit)
    )
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return [
        {"id": str(r.id), "channel": r.channel_code, "kind": r.kind, "external_id": r.external_id,
         "message": r.message, "detail": r.detail, "created_at": r.created_at,
         "inbound_id": str(r.inbound_id) if r.inbound_id else None}
        for r in connection.execute(query)
    ]


def dead_pushes(connection: Connection, tenant_id: uuid.UUID, limit: int = 200, *,
                partner_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Stock figures a platform kept refusing until the pusher gave up (dead letters), latest first; with
    `partner_id`, those of its own channels."""
    query = (
        select(StockPush, Channel.code.label("channel_code"), Listing.external_sku)
        .join(Channel, Channel.id == StockPush.channel_id).join(Listing, Listing.id == StockPush.listing_id)
        .where(StockPush.tenant_id == tenant_id, StockPush.state == "dead")
        .order_by(StockPush.changed_at.desc(), StockPush.listing_id).limit(limit)
    )
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return [{"channel": r.channel_code, "external_sku": r.external_sku, "quantity": r.quantity,
             "attempts": r.attempts, "last_error": r.last_error, "changed_at": r.changed_at}
            for r in connection.execute(query)]


def drift_found(connection: Connection, tenant_id: uuid.UUID, channel_code: str | None = None,
                limit: int = 200, *, partner_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Listings reconciliation found showing another figure than ours, newest first (of the partner's channels,
    with `partner_id`)."""
    query = (
        select(StockDrift, Channel.code.label("channel_code"), Listing.external_sku, Sku.code.label("sku_code"))
        .join(Channel, Channel.id == StockDrift.channel_id)
        .join(Listing, Listing.id == StockDrift.listing_id)
        .join(Sku, Sku.id == Listing.sku_id)
        .where(StockDrift.tenant_id == tenant_id)
        .order_by(StockDrift.found_at.desc(), Listing.external_sku)
        .limit(limit)
    )
    if channel_code is not None:
        query = query.where(Channel.code == channel_code)
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return [{"channel": r.channel_code, "external_sku": r.external_sku, "sku": r.sku_code,
             "platform_quantity": r.platform_quantity, "our_quantity": r.our_quantity, "difference": r.difference,
             "found_at": r.found_at} for r in connection.execute(query)]


def last_reconciliations(connection: Connection, tenant_id: uuid.UUID,
                         partner_id: uuid.UUID | None = None) -> dict[str, dict[str, Any]]:
    """Each channel's latest reconciliation, by channel code (the partner's channels only, with `partner_id`)."""
    latest = (select(Reconciliation.channel_id, func.max(Reconciliation.started_at).label("at"))
              .where(Reconciliation.tenant_id == tenant_id).group_by(Reconciliation.channel_id).subquery())
    query = (select(Reconciliation, Channel.code.label("channel_code"))
             .join(latest, (latest.c.channel_id == Reconciliation.channel_id)
                   & (latest.c.at == Reconciliation.started_at))
             .join(Channel, Channel.id == Reconciliation.channel_id)
             .where(Reconciliation.tenant_id == tenant_id))
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return {r.channel_code: {"trigger": r.trigger, "started_at": r.started_at, "finished_at": r.finished_at,
                             "listings_read": r.listings_read, "drifted": r.drifted, "units": r.units,
                             "unread": r.unread, "error": r.error} for r in connection.execute(query)}


def channel_codes(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None = None) -> list[str]:
    """The tenant's channel codes in order; with a partner, only the channels it sells through."""
    query = select(Channel.code).where(Channel.tenant_id == tenant_id).order_by(Channel.code)
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return list(connection.execute(query).scalars())


def inbound_messages_of(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[dict[str, Any]]:
    """The channel messages an order was imported or updated from, oldest first, bodies as received (the order's
    page shows them).

    An import from a channel runs under the message's id as its request id, so the order's audit rows name them."""
    entries = ordering.order_audit(connection, tenant_id, order_id, actor_prefix="channel:")
    message_ids = {parsed for entry in entries if (parsed := _message_id(entry.request_id))}
    if not message_ids:
        return []
    query = (select(InboundMessage).where(InboundMessage.tenant_id == tenant_id, InboundMessage.id.in_(message_ids))
             .order_by(InboundMessage.received_at))
    return [{"id": str(r.id), "source": r.source, "state": r.state, "received_at": r.received_at,
             "content_type": (r.headers or {}).get("content-type"), "body": r.body} for r in connection.execute(query)]


def _message_id(request_id: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(request_id) if request_id else None
    except ValueError:
        return None


def pushes_pending(connection: Connection) -> int:
    """Stock pushes waiting to go out or in a feed being processed, across tenants (the demo waits for none)."""
    return connection.execute(select(func.count()).where(StockPush.state.in_(("pending", "feeding")))).scalar_one()


def inbound_pending(connection: Connection) -> int:
    """Channel messages kept and not yet imported, across tenants."""
    return connection.execute(select(func.count()).where(InboundMessage.state == "pending")).scalar_one()


def allocation_of(connection: Connection, tenant_id: uuid.UUID, channel: Any) -> dict[str, Any]:
    """A channel's allocation policy (the default, shared, when none was set) and its listings' own."""
    query = (select(Listing.external_sku, Sku.code, Listing.allocation).join(Sku, Sku.id == Listing.sku_id)
             .where(Listing.tenant_id == tenant_id, Listing.channel_id == channel.id).order_by(Listing.external_sku))
    overrides = [{"external_sku": external, "sku": code, "allocation": allocation}
                 for external, code, allocation in connection.execute(query) if allocation]
    return {"channel": channel.code, "allocation": channel_policy(channel.settings), "overrides": overrides}


def channel_policy(settings: dict[str, Any] | None) -> dict[str, Any]:
    return (settings or {}).get("allocation") or Policy().setting()


def allocation_overrides(connection: Connection, tenant_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Per channel, how many of its listings have a policy of their own."""
    # An empty override is stored as the JSON {}, which reads back as '{}' as text on both backends.
    query = (select(Listing.channel_id, func.count()).where(Listing.tenant_id == tenant_id,
                                                            cast(Listing.allocation, String) != "{}")
             .group_by(Listing.channel_id))
    return {channel_id: count for channel_id, count in connection.execute(query)}


def allocation_changes(connection: Connection, tenant_id: uuid.UUID, limit: int = 20, *,
                       channels: list[str] | None = None) -> list[dict[str, Any]]:
    """The latest allocation changes from the audit log, newest first: where, before, after, who and when; of
    these channel codes only, when given (a partner's page: its channels' changes are few)."""
    changes = identity.audit_entries(connection, tenant_id, action="allocation.set",
                                     limit=limit if channels is None else None)
    return [{"channel": row.detail.get("channel"), "listing": row.detail.get("listing"),
             "before": row.detail.get("before"), "after": row.detail.get("after"), "actor": row.actor, "at": row.at}
            for row in changes if channels is None or row.detail.get("channel") in channels][:limit]


def channel_list(tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None,
                 platform: str | None = None) -> ListSpec:
    query = select(Channel.id, Channel.code, Channel.platform, Channel.name, Channel.pools, Channel.partner_id,
                   Channel.unpaid_hold_minutes, Channel.created_at).where(Channel.tenant_id == tenant_id)
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    if platform:
        query = query.where(Channel.platform == platform)
    sorts = {"code": Channel.code, "name": Channel.name, "platform": Channel.platform,
             "created_at": Channel.created_at}
    return ListSpec(query=query, sorts=sorts, tie=Channel.id, default_sort="code", shape=_shaped)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"id": str(r.id), "code": r.code, "platform": r.platform, "name": r.name, "pools": r.pools,
             "reseller": r.partner_id is not None, "unpaid_hold_minutes": r.unpaid_hold_minutes,
             "created_at": r.created_at} for r in rows]


def channels_of(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None = None) -> list[Any]:
    """The tenant's channels (with a partner, its own), by code."""
    query = select(Channel).where(Channel.tenant_id == tenant_id).order_by(Channel.code)
    if partner_id is not None:
        query = query.where(Channel.partner_id == partner_id)
    return list(connection.execute(query).all())


def push_states(connection: Connection, tenant_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(channel, state) of every listing's stock push."""
    query = select(StockPush.channel_id, StockPush.state).where(StockPush.tenant_id == tenant_id)
    return [(channel_id, state) for channel_id, state in connection.execute(query)]


def channels_of_pending_messages(connection: Connection, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """The channel of each kept message not yet imported (a channel once per message)."""
    query = select(InboundMessage.channel_id).where(InboundMessage.tenant_id == tenant_id,
                                                    InboundMessage.state == "pending")
    return list(connection.execute(query).scalars())


def channels_of_open_exceptions(connection: Connection, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """The channel of each open channel exception (a channel once per exception)."""
    query = select(ChannelException.channel_id).where(ChannelException.tenant_id == tenant_id,
                                                      ChannelException.state == "open")
    return list(connection.execute(query).scalars())


def push_timings(connection: Connection, tenant_id: uuid.UUID,
                 partner_id: uuid.UUID | None = None) -> list[Row[str, datetime, datetime | None]]:
    """(state, changed_at, pushed_at) of every stock push of the tenant's (or the partner's) channels."""
    query = select(StockPush.state, StockPush.changed_at, StockPush.pushed_at).where(StockPush.tenant_id == tenant_id)
    if partner_id is not None:
        query = query.join(Channel, Channel.id == StockPush.channel_id).where(Channel.partner_id == partner_id)
    return list(connection.execute(query).all())
