"""Reading stock: levels of a SKU (bundles derived from their components) and the ledger check; and the
dashboard's stock figures: health across the network, a SKU × node map of availability, a SKU's ledger,
reservations and pools, and transfers between nodes with what is still on the road.

The nodes list: by kind or a piece of the code or name; sorted by code, name, priority or when added.
"""

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, func, select
from sqlalchemy.orm import aliased

from flexhub import catalog
from flexhub.catalog import UnknownSku
from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location, Reservation, StockLevel, StockMovement, Transfer, TransferLine
from flexhub.inventory.rules import Level
from flexhub.lists import ListSpec, containing, every_word

SPOT = ("spot",)  # the brand's figures cover the pool every channel sells from unless it names others


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


def _bundle_levels(connection: Connection, tenant_id: uuid.UUID,
                   parts: list[tuple[uuid.UUID, int]]) -> list[dict[str, Any]]:
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


def stock_health(connection: Connection, tenant_id: uuid.UUID, pools: Collection[str] = SPOT) -> dict[str, int]:
    """SKUs out of stock everywhere, and SKUs below safety stock somewhere, in these pools (the spot pool, or the
    pools a partner's channels sell from)."""
    rows = connection.execute(
        select(StockLevel.sku_id, StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.pool.in_(list(pools)))
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


def heatmap(connection: Connection, tenant_id: uuid.UUID, limit: int = 40,
            pools: Collection[str] = SPOT, *, by_pool: bool = False) -> dict[str, Any]:
    """Available units per SKU (rows, scarcest first) and node (columns), in these pools together (the spot pool,
    or the pools a partner's channels sell from); `by_pool`: the columns are the pools, every node's units added
    (what a partner may see: no node of the brand's named)."""
    column = StockLevel.pool if by_pool else Location.code
    rows = connection.execute(
        select(Sku.code, column.label("node"), StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .join(Sku, Sku.id == StockLevel.sku_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.pool.in_(list(pools)))
    ).all()
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for sku, node, on_hand, reserved, safety in rows:
        cells[(sku, node)] += max(0, on_hand - reserved - safety)
    nodes = sorted({node for _, node in cells})
    totals: dict[str, int] = defaultdict(int)
    for (sku, _), units in cells.items():
        totals[sku] += units
    skus = sorted(totals, key=lambda code: (totals[code], code))[:limit]
    return {"skus": skus, "nodes": nodes,
            "cells": [[n, s, cells.get((sku, node), 0)] for s, sku in enumerate(skus) for n, node in enumerate(nodes)]}


def ledger_of(connection: Connection, tenant_id: uuid.UUID, sku_code: str, limit: int = 100,
              pools: Collection[str] | None = None) -> list[dict[str, Any]]:
    """A SKU's movements newest first, in every pool or in these."""
    query = (
        select(StockMovement, Location.code.label("node"))
        .join(Sku, Sku.id == StockMovement.sku_id)
        .join(Location, Location.id == StockMovement.location_id)
        .where(StockMovement.tenant_id == tenant_id, Sku.code == sku_code)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(limit)
    )
    if pools is not None:
        query = query.where(StockMovement.pool.in_(list(pools)))
    return [{"at": r.created_at, "node": r.node, "pool": r.pool, "kind": r.kind, "on_hand": r.on_hand_delta,
             "reserved": r.reserved_delta, "in_transit": r.in_transit_delta, "actor": r.actor, "reason": r.reason,
             "reference": r.reference} for r in connection.execute(query)]


def reservations_of(connection: Connection, tenant_id: uuid.UUID, sku_code: str,
                    limit: int = 100) -> list[dict[str, Any]]:
    """The stock held for orders of a SKU right now, oldest first (the next to ship or expire)."""
    query = (
        select(Reservation, Location.code.label("node"))
        .join(Sku, Sku.id == Reservation.sku_id)
        .join(Location, Location.id == Reservation.location_id)
        .where(Reservation.tenant_id == tenant_id, Sku.code == sku_code, Reservation.state == "active")
        .order_by(Reservation.created_at, Reservation.id)
        .limit(limit)
    )
    return [{"order_id": str(r.order_id) if r.order_id else None, "line_no": r.line_no, "node": r.node,
             "pool": r.pool, "quantity": r.quantity, "expires_at": r.expires_at, "created_at": r.created_at}
            for r in connection.execute(query)]


def levels_by_pool(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A SKU's level views added up per pool over every node, naming no node (`location` None): what a partner
    may see of where the brand keeps its stock."""
    pooled: dict[str, dict[str, Any]] = {}
    for lv in levels:
        seen = pooled.setdefault(lv["pool"], {"location": None, "pool": lv["pool"], "on_hand": 0, "reserved": 0,
                                              "safety": 0, "in_transit": 0, "available": 0})
        for figure in ("on_hand", "reserved", "safety", "in_transit", "available"):
            seen[figure] += lv[figure]
    return list(pooled.values())


def pools_by_node(levels: list[dict[str, Any]]) -> dict[str, Any]:
    """Available units per node and pool (spot, presale, consigned:<partner>), from a SKU's level views."""
    pools = sorted({lv["pool"] for lv in levels}, key=lambda pool: (pool != "spot", pool != "presale", pool))
    nodes: dict[str, dict[str, int]] = defaultdict(dict)
    for lv in levels:
        nodes[lv["location"] or ""][lv["pool"]] = lv["available"]  # "": every node together (levels_by_pool)
    return {"pools": pools, "nodes": dict(nodes)}


def location_codes(connection: Connection, tenant_id: uuid.UUID) -> list[str]:
    query = select(Location.code).where(Location.tenant_id == tenant_id).order_by(Location.priority, Location.code)
    return list(connection.execute(query).scalars())


def transfers(connection: Connection, tenant_id: uuid.UUID, *, state: str | None = None,
              limit: int = 100) -> list[dict[str, Any]]:
    """Transfers newest first, each with its lines and the units still in transit."""
    source, target = aliased(Location), aliased(Location)
    query = (
        select(Transfer, source.code.label("source"), target.code.label("target"))
        .join(source, source.id == Transfer.from_location_id)
        .join(target, target.id == Transfer.to_location_id)
        .where(Transfer.tenant_id == tenant_id)
        .order_by(Transfer.created_at.desc(), Transfer.id.desc())
        .limit(limit)
    )
    if state:
        query = query.where(Transfer.state == state)
    rows = connection.execute(query).all()
    lines = _transfer_lines(connection, [r.id for r in rows])
    return [{"id": str(r.id), "from": r.source, "to": r.target, "state": r.state, "reference": r.reference,
             "created_at": r.created_at, "received_at": r.received_at, "lines": lines.get(r.id, []),
             "in_transit": sum(x["quantity"] for x in lines.get(r.id, [])) if r.state == "in_transit" else 0}
            for r in rows]


def units_in_transit(connection: Connection, tenant_id: uuid.UUID) -> int:
    query = (select(func.coalesce(func.sum(TransferLine.quantity), 0))
             .join(Transfer, Transfer.id == TransferLine.transfer_id)
             .where(Transfer.tenant_id == tenant_id, Transfer.state == "in_transit"))
    return int(connection.execute(query).scalar_one())


def _transfer_lines(connection: Connection, transfer_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    if not transfer_ids:
        return {}
    query = (select(TransferLine.transfer_id, Sku.code, TransferLine.pool, TransferLine.quantity)
             .join(Sku, Sku.id == TransferLine.sku_id)
             .where(TransferLine.transfer_id.in_(transfer_ids)).order_by(Sku.code))
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for transfer_id, sku, pool, quantity in connection.execute(query):
        found[transfer_id].append({"sku": sku, "pool": pool, "quantity": quantity})
    return found


def holding_nodes(connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]) -> list[Any]:
    """(order_id, location_id, code) of every node holding active reservations for these orders."""
    query = (select(Reservation.order_id, Reservation.location_id, Location.code)
             .join(Location, Location.id == Reservation.location_id)
             .where(Reservation.tenant_id == tenant_id, Reservation.order_id.in_(order_ids),
                    Reservation.state == "active"))
    return list(connection.execute(query))


def movements_of_change(connection: Connection, tenant_id: uuid.UUID, levels: list[dict[str, Any]], kind: str,
                        at: datetime, *, window_s: float = 2.0) -> list[dict[str, Any]]:
    """The on-hand movements a StockChanged event reports: of its kind, at its levels, written in the moments before
    it occurred (a change's movements and its event are stamped together). Another change of the same levels in
    that window is found too; a consumer keys what it makes by the movement's id."""
    keys = {(uuid.UUID(lv["sku_id"]), uuid.UUID(lv["location_id"]), lv["pool"]) for lv in levels}
    if not keys:
        return []
    query = (
        select(StockMovement, Sku.code.label("sku"), Location.code.label("node"))
        .join(Sku, Sku.id == StockMovement.sku_id).join(Location, Location.id == StockMovement.location_id)
        .where(StockMovement.tenant_id == tenant_id, StockMovement.kind == kind, StockMovement.on_hand_delta != 0,
               StockMovement.sku_id.in_({k[0] for k in keys}), StockMovement.location_id.in_({k[1] for k in keys}),
               StockMovement.created_at >= at - timedelta(seconds=window_s), StockMovement.created_at <= at)
        .order_by(StockMovement.created_at, StockMovement.id))
    return [{"id": str(r.id), "sku": r.sku, "node": r.node, "pool": r.pool, "kind": r.kind,
             "on_hand": r.on_hand_delta, "reason": r.reason, "reference": r.reference}
            for r in connection.execute(query) if (r.sku_id, r.location_id, r.pool) in keys]


def location_list(tenant_id: uuid.UUID, *, kind: str | None = None, text: str | None = None) -> ListSpec:
    query = select(Location).where(Location.tenant_id == tenant_id)
    if kind:
        query = query.where(Location.kind == kind)
    if (matched := every_word(text, lambda word: containing(word, Location.code, Location.name))) is not None:
        query = query.where(matched)
    sorts = {"code": Location.code, "name": Location.name, "priority": Location.priority,
             "created_at": Location.created_at}
    return ListSpec(query=query, sorts=sorts, tie=Location.id, default_sort="code", shape=_shaped)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"id": str(r.id), "code": r.code, "kind": r.kind, "name": r.name, "country": r.country,
             "province": r.province, "city": r.city, "can_ship": r.can_ship, "can_pickup": r.can_pickup,
             "priority": r.priority, "daily_capacity": r.daily_capacity, "created_at": r.created_at} for r in rows]


def on_hand_in_pools_at(connection: Connection, tenant_id: uuid.UUID, pools: Collection[str],
                        at: datetime) -> dict[str, int]:
    """Units on hand in each pool at `at`, every node and SKU together, summed from the ledger (levels are its
    projection, so this is what they showed then)."""
    query = (select(StockMovement.pool, func.coalesce(func.sum(StockMovement.on_hand_delta), 0))
             .where(StockMovement.tenant_id == tenant_id, StockMovement.pool.in_(set(pools)),
                    StockMovement.created_at < at)
             .group_by(StockMovement.pool))
    return {pool: int(units) for pool, units in connection.execute(query)}
