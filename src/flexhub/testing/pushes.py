"""Push rows planted for tests of the sync lag (`channels.dashboard.sync_lag_ms`): listings on the shop's `web`
channel, and each one's figure decided at a moment and confirmed a given time later."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Listing
from flexhub.kernel.messages import Actor


def web_listings(hub: Hub, admin: Actor, count: int, first: int = 0) -> list[Any]:
    """`count` listings of TEE-RED-M on `web` (WEB-first … ), their id and channel."""
    for n in range(first, first + count):
        hub.handle(CreateListing(actor=admin, channel="web", external_sku=f"WEB-{n}", sku="TEE-RED-M"))
    with hub.uow(write=False) as uow:
        found = {row.external_sku: row for row in uow.connection.execute(
            select(Listing.external_sku, Listing.id, Listing.channel_id).where(Listing.tenant_id == admin.tenant_id))}
    return [found[f"WEB-{n}"] for n in range(first, first + count)]


def pushed(listing: Any, tenant_id: Any, decided: datetime, *, state: str, lag_ms: int = 0) -> dict[str, Any]:
    """The push row of `listing`: its figure decided at `decided`, confirmed `lag_ms` later when synced."""
    synced = state == "synced"
    return {"listing_id": listing.id, "channel_id": listing.channel_id, "tenant_id": tenant_id, "quantity": 5,
            "version": 1, "state": state, "pushed_quantity": 5 if synced else None, "attempts": 0,
            "next_attempt_at": decided, "changed_at": decided,
            "pushed_at": decided + timedelta(milliseconds=lag_ms) if synced else None}

