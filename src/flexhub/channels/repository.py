"""The only place with channel SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from flexhub.channels.model import Channel


def channels_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.code.in_(set(codes)))
    return {row.code: row for row in connection.execute(query)}


def channels_by_id(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(Channel).where(Channel.tenant_id == tenant_id, Channel.id.in_(set(ids)))
    return {row.id: row for row in connection.execute(query)}
