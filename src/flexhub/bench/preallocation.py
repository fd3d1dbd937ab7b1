"""`flexhub bench preallocation`: a promotion's orders routed with and without stock moved ahead of it.

The routing benchmark's world (flexhub.bench.routing_world: network, catalogue, stock, buyers by city population)
gives the usual weeks: `orders` orders the planner has seen. A promotion then sells `promoted` of the popular
apparel SKUs `uplift` times as often as usual; its orders are drawn afresh from their own seed, so the plan knows
only the history and the uplift, as a brand does. Before the sale the brand buys in for it: each promoted SKU is
topped up to 1.3 times its forecast, the new units landing at the central warehouse.

The plan: each promoted SKU's forecast for the sale (its history units × its uplift, the sale's order count over
the history's, the mix renormalised) is shared among the warehouses by where its buyers were (each buyer's city
goes to the nearest warehouse that can keep the product); each warehouse should hold the 95 % Poisson quantile of
its share, and the shortfalls are filled from the others' surplus by the hub's own rule
(`replenishment.rules.preallocation_moves`). Stores keep their usual stock.

Both runs route the same promotion orders with flexhub's routing on their own copy of the stock
(routing_simulation.Simulation): parcel shipping cost (fen), split rate, orders that found no stock (stock-outs),
late orders (a node past its daily capacity ships a day late per full day of work ahead). Moving stock costs too:
a line-haul estimate per unit moved (`TRANSFER_HANDLING` fen + `TRANSFER_FEN_PER_KG_KM` per kg and km, an
assumption of this bench, about road freight's rate), reported apart and in the total.
"""

import math
import random
from collections import defaultdict
from dataclasses import replace
from typing import Any

from flexhub.bench.routing_simulation import Simulation
from flexhub.bench.routing_strategies import flexhub
from flexhub.bench.routing_world import (
    WAREHOUSES,
    Product,
    World,
    build_nodes,
    build_orders,
    build_products,
    build_stock,
)
from flexhub.replenishment import rules
from flexhub.routing.candidates import Node, OrderToRoute
from flexhub.routing.geo import Place, haversine_km
from flexhub.routing.policy import PreparedPolicy, RoutingPolicy

SERVICE = 0.95
BOUGHT_IN = 1.3  # the promotion's stock: its forecast × this, bought in before it (at the central warehouse)
TRANSFER_HANDLING = 30  # fen per unit moved: picking, packing on a pallet, receiving
TRANSFER_FEN_PER_KG_KM = 0.05  # road freight, about 0.5 CNY per tonne-km
FIGURES = ("shipping_cost", "transfer_cost", "total_cost", "split_rate", "stockouts", "stockout_rate",
           "late_orders", "late_rate")


def run_preallocation(*, orders: int = 20_000, sale_orders: int = 10_000, promoted: int = 30, uplift: float = 4.0,
                      seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    nodes = build_nodes(rng, 21)
    products = build_products(rng, 300)
    history = build_orders(rng, orders, products)
    stock = build_stock(rng, nodes, products, history)
    on_sale = [p for p in products if not (p.drop_ship or p.fragile or p.high_value)][:promoted]
    boost = {p.sku_id: uplift for p in on_sale}
    sale = build_orders(random.Random(seed + 1), sale_orders,
                        [replace(p, popularity=p.popularity * boost.get(p.sku_id, 1.0)) for p in products])
    expected = _forecast(history, products, nodes, boost, sale_orders)
    central = next(n for n in nodes if n.kind == "central")
    before = dict(stock)
    for product in on_sale:  # bought in for the sale, landing at the central warehouse
        total = sum(expected[product.sku_id].values())
        held = sum(units for (_, sku_id), units in stock.items() if sku_id == product.sku_id)
        key = (central.location_id, product.sku_id)
        before[key] = before.get(key, 0) + max(0, math.ceil(total * BOUGHT_IN) - held)
    moves = _plan(before, expected, nodes, on_sale)
    after = dict(before)
    transfer_cost = 0.0
    by_id = {n.code: n for n in nodes}
    weights = {p.code: p for p in products}
    for move in moves:
        source, target, product = by_id[move["from"]], by_id[move["to"]], weights[move["sku"]]
        after[(source.location_id, product.sku_id)] -= move["quantity"]
        after[(target.location_id, product.sku_id)] = after.get((target.location_id, product.sku_id), 0) + move[
            "quantity"]
        transfer_cost += move["quantity"] * _transfer_fen(source, target, product)
    days = max(1, -(-sale_orders // 2500))
    policy = PreparedPolicy(RoutingPolicy())
    runs = {"without": (before, 0.0), "with": (after, transfer_cost)}
    report: dict[str, Any] = {"orders_seen": orders, "sale_orders": sale_orders, "promoted_skus": len(on_sale),
                              "uplift": uplift, "seed": seed, "transfers": len(moves),
                              "units_moved": sum(m["quantity"] for m in moves), "runs": {}}
    for name, (units, moving) in runs.items():
        world = World(nodes, products, units, sale, days)
        simulation = Simulation(world)
        tally = simulation.run(flexhub(policy))
        figures = tally.figures()
        late = tally.routed - tally.sla_met
        report["runs"][name] = {
            "shipping_cost": figures["shipping_cost"], "transfer_cost": round(moving),
            "total_cost": figures["shipping_cost"] + round(moving), "split_rate": figures["split_rate"],
            "stockouts": tally.unroutable, "stockout_rate": round(tally.unroutable / max(tally.orders, 1), 4),
            "late_orders": late, "late_rate": round(late / max(tally.routed, 1), 4),
            "max_node_utilization": figures["max_node_utilization"]}
    return report


def _holds(node: Node, product: Product) -> bool:
    """Can the node keep the product: a warehouse, secure for high-value goods, packing fragile ones."""
    return (node.kind in WAREHOUSES and (node.secure or not product.high_value)
            and (node.packs_fragile or not product.fragile))


def _forecast(history: list[OrderToRoute], products: list[Product], nodes: list[Node], boost: dict[Any, float],
              sale_orders: int) -> dict[Any, dict[Any, float]]:
    """Per promoted SKU, the units each warehouse should expect to ship in the sale."""
    seen: dict[Any, dict[Any, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[Any, float] = defaultdict(float)
    product_of = {p.sku_id: p for p in products}
    for order in history:
        for line in order.lines:
            totals[line.sku_id] += line.quantity
            if line.sku_id in boost and order.destination is not None:
                near = _nearest([n for n in nodes if _holds(n, product_of[line.sku_id])], order.destination)
                seen[line.sku_id][near.location_id] += line.quantity
    mix = sum(units * boost.get(sku, 1.0) for sku, units in totals.items()) / max(sum(totals.values()), 1.0)
    scale = sale_orders / max(len(history), 1) / mix
    return {sku: {node: units * boost[sku] * scale for node, units in by_node.items()} for sku, by_node in seen.items()}


def _nearest(nodes: list[Node], to: Place) -> Node:
    """The node closest to `to` among those that have a place (the first of equals)."""
    return min(((haversine_km(n.place, to), n) for n in nodes if n.place is not None), key=lambda found: found[0])[1]


def _plan(stock: dict, expected: dict[Any, dict[Any, float]], nodes: list[Node],
          on_sale: list[Product]) -> list[dict[str, Any]]:
    holdings = []
    for product in on_sale:
        for node in nodes:
            if not _holds(node, product):
                continue
            mean = expected.get(product.sku_id, {}).get(node.location_id, 0.0)
            held = stock.get((node.location_id, product.sku_id), 0)
            if held or mean:
                holdings.append(rules.Holding(product.code, node.code, held, 0, rules.poisson_quantile(mean, SERVICE),
                                              mean))
    return rules.preallocation_moves(holdings)


def _transfer_fen(source: Node, target: Node, product: Product) -> float:
    km = haversine_km(source.place, target.place) if source.place and target.place else 0.0
    return TRANSFER_HANDLING + TRANSFER_FEN_PER_KG_KM * product.weight_g / 1000 * km


def table(report: dict[str, Any]) -> Any:
    from rich.table import Table

    grid = Table("figure", "without", "with pre-allocation",
                 title=f"flexhub bench preallocation — {report['sale_orders']} sale orders, "
                       f"{report['promoted_skus']} SKUs × {report['uplift']}, {report['units_moved']} units moved")
    for figure in (*FIGURES, "max_node_utilization"):
        grid.add_row(figure, str(report["runs"]["without"][figure]), str(report["runs"]["with"][figure]))
    return grid
