"""The only place with catalog SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from flexhub.catalog.model import BundleComponent, Sku, Spu
from flexhub.kernel.ids import new_id


def skus_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, Any]:
    query = select(Sku).where(Sku.tenant_id == tenant_id, Sku.code.in_(set(codes)))
    return {row.code: row for row in connection.execute(query)}


def components_of(
    connection: Connection, tenant_id: uuid.UUID, bundle_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
    """Each bundle's components as (component SKU id, units per bundle), in a stable order."""
    ids = set(bundle_ids)
    if not ids:
        return {}
    query = (
        select(BundleComponent.bundle_id, BundleComponent.component_id, BundleComponent.quantity)
        .where(BundleComponent.tenant_id == tenant_id, BundleComponent.bundle_id.in_(ids))
        .order_by(BundleComponent.bundle_id, BundleComponent.component_id)
    )
    found: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = {}
    for row in connection.execute(query):
        found.setdefault(row.bundle_id, []).append((row.component_id, row.quantity))
    return found


def spu_id(connection: Connection, tenant_id: uuid.UUID, code: str, name: str, category: str | None) -> uuid.UUID:
    """The SPU with this code, created when it does not exist yet."""
    query = select(Spu.id).where(Spu.tenant_id == tenant_id, Spu.code == code)
    existing = connection.execute(query).scalar()
    if existing is not None:
        return existing
    new = new_id()
    connection.execute(insert(Spu).values(id=new, tenant_id=tenant_id, code=code, name=name, category=category))
    return new


def insert_sku(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(Sku).values(**values))


def insert_components(connection: Connection, rows: list[dict[str, Any]]) -> None:
    connection.execute(insert(BundleComponent), rows)


def update_sku(connection: Connection, sku_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(Sku).where(Sku.id == sku_id).values(**values))
