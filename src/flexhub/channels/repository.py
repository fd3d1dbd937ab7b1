"""The only place with channel SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel, Listing


def channels_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.code.in_(set(codes)))
    return {row.code: row for row in connection.execute(query)}


def channels_by_id(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.id.in_(set(ids)))
    return {row.id: row for row in connection.execute(query)}


def channels_for_webhook(connection: Connection, platform: str, code: str) -> list[Any]:
    """Channels of any tenant with this platform and code: the signature tells which one sent it."""
    query = select(Channel).where(Channel.platform == platform, Channel.code == code)
    return list(connection.execute(query))


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
