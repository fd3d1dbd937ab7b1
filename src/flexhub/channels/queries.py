"""Reading channels."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel, ChannelException, Listing, StockPush


def pools_for_partner(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> set[str]:
    """The pools a partner's channels may sell from: all of stock a partner is shown."""
    query = select(Channel.pools).where(Channel.tenant_id == tenant_id, Channel.partner_id == partner_id)
    return {pool for (pools,) in connection.execute(query) for pool in pools}


def channel_view(row: dict[str, Any]) -> dict[str, Any]:
    """What the API shows of a channel: never its credentials, only their names."""
    return {"id": str(row["id"]), "code": row["code"], "platform": row["platform"], "name": row["name"],
            "pools": row["pools"], "unpaid_hold_minutes": row["unpaid_hold_minutes"],
            "credential_names": row["credential_names"], "missing_credentials": row["missing_credentials"]}


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


def open_exceptions(connection: Connection, tenant_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    query = (
        select(ChannelException, Channel.code.label("channel_code"))
        .join(Channel, Channel.id == ChannelException.channel_id)
        .where(ChannelException.tenant_id == tenant_id, ChannelException.state == "open")
        .order_by(ChannelException.created_at.desc())
        .limit(limit)
    )
    return [
        {"id": str(r.id), "channel": r.channel_code, "kind": r.kind, "external_id": r.external_id,
         "message": r.message, "detail": r.detail, "created_at": r.created_at,
         "inbound_id": str(r.inbound_id) if r.inbound_id else None}
        for r in connection.execute(query)
    ]
