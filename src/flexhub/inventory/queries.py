"""Reading stock: levels of a SKU (bundles derived from their components) and the ledger check."""

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, select

from flexhub.catalog import repository as catalog
from flexhub.catalog.errors import UnknownSku
from flexhub.inventory.model import Location, StockLevel, StockMovement
from flexhub.inventory.rules import Level


def levels_for_sku(connection: Connection, tenant_id: uuid.UUID, code: str) -> dict[str, Any]:
    sku = catalog.skus_by_code(connection, tenant_id, [code]).get(code)
    if sku is None:
        raise UnknownSku(f"unknown SKU {code}", sku=code)
    if sku.is_bundle:
        parts = catalog.components_of(connection, tenant_id, [sku.id])[sku.id]
        return {"sku": code, "bundle": True, "levels": _bundle_levels(connection, tenant_id, parts)}
    rows = _level_rows(connection, tenant_id, [sku.id])
    return {"sku": code, "bundle": False, "levels": [_view(loc, lv) for loc, lv in rows]}


def _level_rows(connection: Connection, tenant_id: uuid.UUID, sku_ids: list[uuid.UUID]) -> list[tuple[str, Level]]:
    query = (
        select(StockLevel, Location.code.label("location_code"))
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(sku_ids))
        .order_by(Location.priority, Location.code, StockLevel.pool)
    )
    return [
        (r.location_code, Level(r.id, r.sku_id, r.location_id, r.pool, r.on_hand, r.reserved, r.safety, r.in_transit))
        for r in connection.execute(query)
    ]


def _bundle_levels(connection: Connection, tenant_id: uuid.UUID, parts: list[tuple[uuid.UUID, int]]) -> list[dict]:
    """A bundle's stock at a location and pool is what its scarcest component can make there."""
    per_unit = dict(parts)
    grouped: dict[tuple[str, str], dict[uuid.UUID, Level]] = defaultdict(dict)
    for location, level in _level_rows(connection, tenant_id, list(per_unit)):
        grouped[(location, level.pool)][level.sku_id] = level
    views = []
    for (location, pool), levels in grouped.items():
        if set(levels) != set(per_unit):
            continue  # a component is never stocked there: no bundle can be made
        on_hand = min(lv.on_hand // per_unit[s] for s, lv in levels.items())
        available = min(lv.available // per_unit[s] for s, lv in levels.items())
        views.append({"location": location, "pool": pool, "on_hand": on_hand,
                      "reserved": max(0, on_hand - available), "safety": 0, "in_transit": 0,
                      "available": available})
    return views


def _view(location: str, level: Level) -> dict[str, Any]:
    return {"location": location, "pool": level.pool, "on_hand": level.on_hand, "reserved": level.reserved,
            "safety": level.safety, "in_transit": level.in_transit, "available": level.available}


def verify_ledger(connection: Connection, tenant_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Rebuild every level from the ledger and list each row where the projection differs."""
    sums = select(
        StockMovement.tenant_id, StockMovement.sku_id, StockMovement.location_id, StockMovement.pool,
        func.sum(StockMovement.on_hand_delta).label("on_hand"),
        func.sum(StockMovement.reserved_delta).label("reserved"),
        func.sum(StockMovement.in_transit_delta).label("in_transit"),
    ).group_by(StockMovement.tenant_id, StockMovement.sku_id, StockMovement.location_id, StockMovement.pool)
    levels = select(StockLevel)
    if tenant_id is not None:
        sums = sums.where(StockMovement.tenant_id == tenant_id)
        levels = levels.where(StockLevel.tenant_id == tenant_id)
    rebuilt = {(r.tenant_id, r.sku_id, r.location_id, r.pool): r for r in connection.execute(sums)}
    stored = {(r.tenant_id, r.sku_id, r.location_id, r.pool): r for r in connection.execute(levels)}
    differences = []
    for key in sorted(set(rebuilt) | set(stored), key=str):
        want = _figures(rebuilt.get(key))
        have = _figures(stored.get(key))
        if want != have:
            differences.append({"tenant_id": str(key[0]), "sku_id": str(key[1]), "location_id": str(key[2]),
                                "pool": key[3], "ledger": want, "levels": have})
    return differences


def _figures(row: Any) -> dict[str, int]:
    if row is None:
        return {"on_hand": 0, "reserved": 0, "in_transit": 0}
    return {"on_hand": int(row.on_hand), "reserved": int(row.reserved), "in_transit": int(row.in_transit)}
