"""Stock levels as a list: one row per SKU, node and pool (on hand, reserved, safety, available, in transit),
filtered by words of the SKU's code, name or barcode (lists.search; one edit away when no row holds them all), a
node and the pools shown, in SKU order."""

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location, StockLevel
from flexhub.lists import ListSpec, Match, containing, every_word, may_be_near, near_containing


def stock_list(tenant_id: uuid.UUID, *, pools: Collection[str] | None = None, text: str | None = None,
               node: str | None = None, blind: bool = False) -> ListSpec:
    """`pools`: only these (a partner's: those its channels sell from); None: every pool. `blind`: no node named
    (a partner's: the node column left empty, and no filtering by node)."""
    query = (select(StockLevel.id, Sku.code.label("sku"), Sku.name, Location.code.label("node"), StockLevel.pool,
                    StockLevel.on_hand, StockLevel.reserved, StockLevel.safety, StockLevel.in_transit)
             .join(Sku, Sku.id == StockLevel.sku_id).join(Location, Location.id == StockLevel.location_id)
             .where(StockLevel.tenant_id == tenant_id))
    if pools is not None:
        query = query.where(StockLevel.pool.in_(list(pools)))
    if node and not blind:
        query = query.where(Location.code == node)
    sorts = {"sku": Sku.code, "on_hand": StockLevel.on_hand, **({} if blind else {"node": Location.code})}
    return ListSpec(query=_words(query, text, containing), sorts=sorts, tie=StockLevel.id, default_sort="sku",
                    shape=_blind if blind else _shaped,
                    near=_words(query, text, near_containing) if may_be_near(text) else None)


def _words(query: Any, text: str | None, match: Match) -> Any:
    """Words of the SKU's code, name or barcode; `near_containing` finds them one edit away too (lists.search)."""
    matched = every_word(text, lambda word: match(word, Sku.code, Sku.name, Sku.barcode))
    return query if matched is None else query.where(matched)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"sku": r.sku, "name": r.name, "node": r.node, "pool": r.pool, "on_hand": r.on_hand,
             "reserved": r.reserved, "safety": r.safety, "available": max(0, r.on_hand - r.reserved - r.safety),
             "in_transit": r.in_transit} for r in rows]


def _blind(connection: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{**row, "node": None} for row in _shaped(connection, rows)]
