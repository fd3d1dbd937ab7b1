"""The only place with stores SQL; every statement is scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, Table, select, update

from flexhub.db.portable import insert_if_absent
from flexhub.stores.model import ShelfPrice


def save_price(connection: Connection, values: dict[str, Any]) -> None:
    """Insert the SKU's shelf price, or replace the one it has."""
    if insert_if_absent(connection, _table(ShelfPrice), values):
        return
    keys = ("tenant_id", "sku_id")
    connection.execute(update(ShelfPrice).where(*(getattr(ShelfPrice, k) == values[k] for k in keys))
                       .values(**{k: v for k, v in values.items() if k not in keys}))


def prices(connection: Connection, tenant_id: uuid.UUID, sku_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(ShelfPrice).where(ShelfPrice.tenant_id == tenant_id, ShelfPrice.sku_id.in_(sku_ids))
    return {row.sku_id: row for row in connection.execute(query)}


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table
