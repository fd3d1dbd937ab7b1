"""Stock figures for the dashboard: health across the network and a SKU × node map of availability."""

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location, StockLevel, StockMovement


def stock_health(connection: Connection, tenant_id: uuid.UUID) -> dict[str, int]:
    """SKUs out of stock everywhere, and SKUs below safety stock somewhere."""
    rows = connection.execute(
        select(StockLevel.sku_id, StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.pool == "spot")
    ).all()
    available: dict[uuid.UUID, int] = defaultdict(int)
    below: set[uuid.UUID] = set()
    for sku_id, on_hand, reserved, safety in rows:
        available[sku_id] += max(0, on_hand - reserved - safety)
        if safety and on_hand - reserved < safety:
            below.add(sku_id)
    skus = connection.execute(select(Sku.id).where(Sku.tenant_id == tenant_id, Sku.is_bundle.is_(False))).scalars()
    out = sum(1 for sku_id in skus if available.get(sku_id, 0) == 0)
    return {"skus": len(available), "out_of_stock": out, "below_safety": len(below)}


def heatmap(connection: Connection, tenant_id: uuid.UUID, limit: int = 40) -> dict[str, Any]:
    """Available units per SKU (rows, scarcest first) and node (columns), spot pool."""
    rows = connection.execute(
        select(Sku.code, Location.code.label("node"), StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .join(Sku, Sku.id == StockLevel.sku_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.pool == "spot")
    ).all()
    cells: dict[tuple[str, str], int] = {}
    for sku, node, on_hand, reserved, safety in rows:
        cells[(sku, node)] = max(0, on_hand - reserved - safety)
    nodes = sorted({node for _, node in cells})
    totals: dict[str, int] = defaultdict(int)
    for (sku, _), units in cells.items():
        totals[sku] += units
    skus = sorted(totals, key=lambda code: (totals[code], code))[:limit]
    return {"skus": skus, "nodes": nodes,
            "cells": [[n, s, cells.get((sku, node), 0)] for s, sku in enumerate(skus) for n, node in enumerate(nodes)]}


def ledger_of(connection: Connection, tenant_id: uuid.UUID, sku_code: str, limit: int = 100) -> list[dict]:
    query = (
        select(StockMovement, Location.code.label("node"))
        .join(Sku, Sku.id == StockMovement.sku_id)
        .join(Location, Location.id == StockMovement.location_id)
        .where(StockMovement.tenant_id == tenant_id, Sku.code == sku_code)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(limit)
    )
    return [{"at": r.created_at, "node": r.node, "pool": r.pool, "kind": r.kind, "on_hand": r.on_hand_delta,
             "reserved": r.reserved_delta, "in_transit": r.in_transit_delta, "actor": r.actor, "reason": r.reason,
             "reference": r.reference} for r in connection.execute(query)]
