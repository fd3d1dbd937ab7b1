"""The only place with channel SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from flexhub.catalog.model import Sku
from flexhub.channels.errors import UnknownChannel
from flexhub.channels.model import (
    Channel,
    ChannelException,
    InboundMessage,
    Listing,
    PollCursor,
    PushNonce,
    StockPush,
)
from flexhub.db.portable import insert_if_absent, insert_missing


def channel_by_code(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    row = connection.execute(select(Channel).where(Channel.tenant_id == tenant_id, Channel.code == code)).first()
    if row is None:
        raise UnknownChannel(f"unknown channel {code}")
    return row


def channels_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.code.in_(set(codes)))
    return {row.code: row for row in connection.execute(query)}


def channels_by_id(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.id.in_(set(ids)))
    return {row.id: row for row in connection.execute(query)}


def channels_holding_unpaid(connection: Connection) -> list[uuid.UUID]:
    """Ids of the channels, of every tenant, that hold an unpaid order's stock while its buyer pays."""
    query = select(Channel.id).where(Channel.unpaid_hold_minutes > 0)
    return list(connection.execute(query).scalars())


def channels_for_webhooks(connection: Connection, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], list[Any]]:
    """Channels of any tenant for each (platform, code), in one statement: the signature tells which one sent it."""
    query = select(Channel).where(Channel.platform.in_({platform for platform, _ in pairs}),
                                  Channel.code.in_({code for _, code in pairs}))
    found: dict[tuple[str, str], list[Any]] = {}
    for row in connection.execute(query):
        if (row.platform, row.code) in pairs:
            found.setdefault((row.platform, row.code), []).append(row)
    return found


def sku_codes_for(connection: Connection, channel: Any, external_skus: Iterable[str]) -> dict[str, str]:
    """Our SKU code for each external SKU: the channel's listing, else a master SKU with the same code."""
    wanted = set(external_skus)
    listed = connection.execute(
        select(Listing.external_sku, Sku.code)
        .join(Sku, Sku.id == Listing.sku_id)
        .where(Listing.channel_id == channel.id, Listing.external_sku.in_(wanted))
    ).all()
    found = dict(listed)
    rest = wanted - set(found)
    if rest:
        same = select(Sku.code).where(Sku.tenant_id == channel.tenant_id, Sku.code.in_(rest))
        found.update({code: code for code in connection.execute(same).scalars()})
    return found


def revive_dead_pushes(connection: Connection, channel_id: uuid.UUID, now: Any) -> int:
    """The channel's dead stock pushes due again from their first attempt; returns how many."""
    result = connection.execute(update(StockPush).where(StockPush.channel_id == channel_id, StockPush.state == "dead")
                                .values(state="pending", attempts=0, next_attempt_at=now))
    return result.rowcount


def channel_exception(connection: Connection, tenant_id: uuid.UUID, exception_id: uuid.UUID) -> Any:
    query = select(ChannelException).where(ChannelException.tenant_id == tenant_id,
                                           ChannelException.id == exception_id)
    return connection.execute(query).first()


def resolve_exceptions_of(connection: Connection, tenant_id: uuid.UUID, inbound_id: uuid.UUID | None,
                          now: Any) -> None:
    """Every open exception raised by the message (or, with none, every open exception of no message)."""
    connection.execute(update(ChannelException).where(ChannelException.tenant_id == tenant_id,
                                                      ChannelException.inbound_id == inbound_id,
                                                      ChannelException.state == "open")
                       .values(state="resolved", resolved_at=now))


def requeue_inbound(connection: Connection, tenant_id: uuid.UUID, inbound_id: uuid.UUID) -> None:
    connection.execute(update(InboundMessage).where(InboundMessage.tenant_id == tenant_id,
                                                    InboundMessage.id == inbound_id)
                       .values(state="pending", error=None))


def insert_channel(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(Channel).values(**values))


def taken_external_skus(connection: Connection, channel_id: uuid.UUID, external_skus: Iterable[str]) -> set[str]:
    """Which of these external SKUs the channel lists already."""
    wanted = set(external_skus)
    if not wanted:
        return set()
    query = select(Listing.external_sku).where(Listing.channel_id == channel_id, Listing.external_sku.in_(wanted))
    return set(connection.execute(query).scalars())


def insert_listings(connection: Connection, rows: list[dict[str, Any]]) -> None:
    connection.execute(insert(Listing), rows)


def open_exception_identities(connection: Connection, channel_ids: Iterable[uuid.UUID]) -> set[tuple]:
    """(channel, kind, external id, message) of the channels' open exceptions: what a replay would repeat."""
    query = select(ChannelException.channel_id, ChannelException.kind, ChannelException.external_id,
                   ChannelException.message).where(ChannelException.channel_id.in_(set(channel_ids)),
                                                   ChannelException.state == "open")
    return {tuple(row) for row in connection.execute(query)}


def claim_push_nonce(connection: Connection, channel_id: uuid.UUID, nonce: str, signed_at: datetime,
                     expires_at: datetime, now: datetime) -> bool:
    """Whether this channel had not seen the nonce (with this signed time) yet: now it has. Nonces whose pushes
    would be stale anyway are forgotten first."""
    connection.execute(delete(PushNonce).where(PushNonce.expires_at <= now))
    return insert_if_absent(connection, PushNonce.__table__, {
        "channel_id": channel_id, "nonce": nonce, "signed_at": signed_at, "expires_at": expires_at})


def listing_by_external_sku(connection: Connection, channel_id: uuid.UUID, external_sku: str) -> Any:
    query = select(Listing).where(Listing.channel_id == channel_id, Listing.external_sku == external_sku)
    return connection.execute(query).first()


def listed_sku_ids(connection: Connection, channel_id: uuid.UUID) -> list[uuid.UUID]:
    """The SKUs (and bundles) the channel lists, each once."""
    query = select(Listing.sku_id).where(Listing.channel_id == channel_id).distinct()
    return list(connection.execute(query).scalars())


def set_channel_settings(connection: Connection, channel_id: uuid.UUID, settings: dict[str, Any]) -> None:
    connection.execute(update(Channel).where(Channel.id == channel_id).values(settings=settings))


def set_listing_allocation(connection: Connection, listing_id: uuid.UUID, allocation: dict[str, Any]) -> None:
    connection.execute(update(Listing).where(Listing.id == listing_id).values(allocation=allocation))


def keep_messages(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Kept channel messages (a webhook's body, a polled or fetched order), each a row of InboundMessage."""
    if rows:
        connection.execute(insert(InboundMessage), rows)


def pending_messages(connection: Connection, limit: int) -> list[Any]:
    """Kept messages not yet imported, oldest first, each with its channel's code, platform, partner and settings."""
    query = (select(InboundMessage, Channel.code, Channel.platform, Channel.partner_id, Channel.settings)
             .join(Channel, Channel.id == InboundMessage.channel_id)
             .where(InboundMessage.state == "pending")
             .order_by(InboundMessage.received_at, InboundMessage.id)
             .limit(limit))
    return list(connection.execute(query).all())


def sealed_credentials(connection: Connection, channel_id: uuid.UUID) -> Any:
    """A channel's credentials as stored: sealed, for the vault to open."""
    return connection.execute(select(Channel.credentials).where(Channel.id == channel_id)).scalar()


def settle_messages(connection: Connection, settled: list[tuple[uuid.UUID, str, str | None]], now: datetime) -> None:
    """Each (message id, state, error) settled in one statement, its attempt counted."""
    connection.execute(
        update(InboundMessage).where(InboundMessage.id == bindparam("message_id")).values(
            state=bindparam("settled_state"), error=bindparam("settled_error"),
            attempts=InboundMessage.attempts + 1, processed_at=now),
        [{"message_id": message_id, "settled_state": state, "settled_error": error}
         for message_id, state, error in settled])


def insert_exceptions(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Channel exceptions opened for a person, each a row of ChannelException."""
    if rows:
        connection.execute(insert(ChannelException), rows)


def polled_until(connection: Connection, channel_id: uuid.UUID) -> datetime | None:
    """The end of the last window a channel's poll read whole."""
    return connection.execute(select(PollCursor.polled_until).where(PollCursor.channel_id == channel_id)).scalar()


def advance_poll_cursor(connection: Connection, channel_id: uuid.UUID, until: datetime, now: datetime) -> None:
    """The poll cursor moved to `until`, never back (a backfill of an older window leaves it where it is)."""
    insert_missing(connection, PollCursor.__table__, [{"channel_id": channel_id, "polled_until": until,
                                                       "updated_at": now}], ["channel_id"])
    current = polled_until(connection, channel_id)
    if current is None or current < until:
        connection.execute(update(PollCursor).where(PollCursor.channel_id == channel_id)
                           .values(polled_until=until, updated_at=now))


def every_channel(connection: Connection) -> list[Any]:
    """Every tenant's channels: the polling job reads which of them poll, and how often."""
    return list(connection.execute(select(Channel)).all())
