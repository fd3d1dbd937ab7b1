"""Reading channels."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.channels.model import Channel


def pools_for_partner(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> set[str]:
    """The pools a partner's channels may sell from: all of stock a partner is shown."""
    query = select(Channel.pools).where(Channel.tenant_id == tenant_id, Channel.partner_id == partner_id)
    return {pool for (pools,) in connection.execute(query) for pool in pools}


def channel_view(row: dict[str, Any]) -> dict[str, Any]:
    """What the API shows of a channel: never its credentials, only their names."""
    return {"id": str(row["id"]), "code": row["code"], "platform": row["platform"], "name": row["name"],
            "pools": row["pools"], "unpaid_hold_minutes": row["unpaid_hold_minutes"],
            "credential_names": row["credential_names"], "missing_credentials": row["missing_credentials"]}
