"""What a supplier sees of the brand: for each SKU it supplies, the forecast (in all and per node; None where no
whole day of demand is known yet: not enough history), the stock
per node and what is coming (open order units not yet shipped, and units on its notices not yet received); and
the drop-ship parcels its nodes are to ship (its tasks)."""

import uuid
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Connection

from flexhub import fulfillment
from flexhub.kernel import clock
from flexhub.purchasing import queries
from flexhub.purchasing.rules import OPEN, Line


class Forecasting(Protocol):
    """Units forecast per SKU and node code for these SKUs: replenishment.forecast_by_node, which the routes and
    pages hand in (replenishment reads what purchasing has on order, so purchasing does not import it)."""

    def __call__(self, connection: Connection, tenant_id: uuid.UUID, sku_ids: set[Any], *,
                 today: date) -> dict[Any, dict[str, float | None]]: ...


def supplier_view(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID,
                  forecast_by_node: Forecasting) -> dict[str, Any]:
    skus = {r.id: r for r in queries.skus_supplied(connection, tenant_id, partner_id)}
    coming = _coming(connection, tenant_id, partner_id, list(skus))
    stock = _stock(connection, tenant_id, list(skus))
    forecast = forecast_by_node(connection, tenant_id, set(skus), today=clock.now().date())
    partner = queries.partner_code(connection, tenant_id, partner_id)
    return {"supplier": partner,
            "skus": [{"sku": s.code, "name": s.name, "forecast_28d": _in_all(forecast.get(s.id, {})),
                      "forecast_by_node": [{"location": node, "forecast_28d": _rounded(units)}
                                           for node, units in sorted(forecast.get(s.id, {}).items())],
                      "stock": stock.get(s.id, []), "on_order": coming.get(s.id, (0, 0))[0],
                      "in_transit": coming.get(s.id, (0, 0))[1]} for s in skus.values()],
            "orders": queries.list_orders(connection, tenant_id, partner_id=partner_id, states=sorted(OPEN)),
            "dropship": fulfillment.dropship_tasks(connection, tenant_id, partner_id)}


def _in_all(nodes: dict[str, float | None]) -> float | None:
    """The forecast over every node that has one; None (not enough history) when none has: a SKU that sold only
    today, or never, is not forecast to sell 0."""
    known = [units for units in nodes.values() if units is not None]
    return round(sum(known), 1) if known else None


def _rounded(units: float | None) -> float | None:
    return None if units is None else round(units, 1)


def _coming(c: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, sku_ids: list) -> dict[Any, tuple[int, int]]:
    found: dict[Any, tuple[int, int]] = {}
    for r in queries.open_lines_of_supplier(c, tenant_id, partner_id, sku_ids, OPEN):
        line = Line("", r.quantity, r.received, r.announced)
        before = found.get(r.sku_id, (0, 0))
        found[r.sku_id] = (before[0] + line.open, before[1] + r.announced)
    return found


def _stock(c: Connection, tenant_id: uuid.UUID, sku_ids: list) -> dict[Any, list[dict[str, Any]]]:
    found: dict[Any, dict[str, dict[str, int]]] = {}
    for r in queries.sellable_stock(c, tenant_id, sku_ids):
        node = found.setdefault(r.sku_id, {}).setdefault(r.code, {"location": r.code, "on_hand": 0, "available": 0})
        node["on_hand"] += r.on_hand
        node["available"] += max(0, r.available)
    return {sku_id: list(nodes.values()) for sku_id, nodes in found.items()}


def node_rows(sku: dict[str, Any]) -> list[dict[str, Any]]:
    """One SKU of the view node by node: its stock there and its forecast there, by node code (a forecast and no
    stock left shows 0 stock; a node with stock and no history of demand, or none yet of a whole day, no forecast:
    None, not enough history)."""
    forecast = {f["location"]: f["forecast_28d"] for f in sku["forecast_by_node"]}
    stock = {n["location"]: n for n in sku["stock"]}
    return [{"location": code, "on_hand": stock.get(code, {}).get("on_hand", 0),
             "available": stock.get(code, {}).get("available", 0), "forecast_28d": forecast.get(code)}
            for code in sorted(set(forecast) | set(stock))]
