"""Which nodes may serve which lines of an order, and why the others may not. Pure.

A node is a candidate for a line when it holds the line's SKU in the pools the channel sells from
(counting what this order already holds there: routing may move it), it ships (or, for a
pickup order, it is the chosen store and offers pickup), it may ship to the buyer's region, no
carrier lacks a lane to the buyer, and the product allows it: high-value SKUs only from secure
nodes, fragile ones only from nodes that pack them. A supplier (drop-ship) node serves a line
only when none of our own nodes holds that SKU.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flexhub.routing.geo import Place
from flexhub.routing.policy import PreparedPolicy, Reach

SUPPLIER = "supplier"
NO_STOCK = ("no stock of this order's SKUs",)
StockKey = tuple[int, str]  # (sku_id.int, pool): integers hash faster than UUIDs on this hot path


@dataclass(frozen=True, slots=True)
class Node:
    location_id: uuid.UUID
    code: str
    kind: str
    place: Place | None
    can_ship: bool = True
    can_pickup: bool = False
    secure: bool = False
    packs_fragile: bool = False
    daily_capacity: int | None = None
    load: int = 0  # parcels routed to it today


@dataclass(frozen=True, slots=True)
class Line:
    """What one order line needs (a bundle line becomes one per component)."""

    line_no: int
    sku_id: uuid.UUID
    sku: str
    quantity: int
    pools: tuple[str, ...]
    weight_g: int
    fragile: bool = False
    high_value: bool = False


@dataclass(frozen=True, slots=True)
class Stock:
    """Units of a SKU in a pool at a node that this order may have: free ones plus its own."""

    level_id: uuid.UUID
    location_id: uuid.UUID
    sku_id: uuid.UUID
    pool: str
    available: int


@dataclass(frozen=True)
class OrderToRoute:
    lines: tuple[Line, ...]
    country: str
    destination: Place | None
    sla_days: int
    vip: bool = False
    pickup_at: str | None = None  # a store's code: the buyer collects there
    excluded: frozenset[str] = frozenset()  # nodes that short-picked this order


@dataclass(frozen=True, slots=True)
class Group:
    """Lines drawing on the same stock (one SKU from the same pools): they are placed together."""

    sku_id: uuid.UUID
    pools: tuple[str, ...]
    lines: tuple[int, ...]  # indexes into the order's lines
    quantity: int
    sku: str = ""
    fragile: bool = False
    high_value: bool = False
    no_stock: str = ""  # the reason a node without it gives, written once per order


@dataclass(slots=True)
class Candidate:
    node: Node
    reach: Reach
    shelves: dict[StockKey, Stock]
    units: list[int] = field(default_factory=list)  # per group: what it may give (0: it may not serve it)
    complete: bool = False  # it can serve every line alone

    @property
    def floor(self) -> float:
        """The least a parcel from here can cost: for ranking and for bounds."""
        return self.reach.floor


def groups_of(lines: Sequence[Line]) -> list[Group]:
    indexes: dict[tuple[uuid.UUID, tuple[str, ...]], list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        indexes[(line.sku_id, line.pools)].append(index)
    return [
        Group(sku, pools, tuple(ix), sum(lines[i].quantity for i in ix), lines[ix[0]].sku, lines[ix[0]].fragile,
              lines[ix[0]].high_value, f"no stock of {lines[ix[0]].sku}")
        for (sku, pools), ix in indexes.items()
    ]


def find_candidates(
    order: OrderToRoute, nodes: Iterable[Node], stock: Iterable[Stock], policy: PreparedPolicy, groups: list[Group]
) -> tuple[list[Candidate], dict[str, Sequence[str]]]:
    """The candidates (each with the units it may give per group) and, per other node, why not."""
    held = _held_by_node(stock, groups)
    rejected: dict[str, Sequence[str]] = {}
    found = []
    for node in nodes:
        if order.pickup_at is not None and node.code != order.pickup_at:
            continue
        at = held.get(node.location_id.int)
        if at is None and order.pickup_at is None:
            rejected[node.code] = NO_STOCK
            continue
        candidate = _candidate(order, node, at or ([0] * len(groups), {}), policy, groups, rejected)
        if candidate is not None:
            found.append(candidate)
    _keep_suppliers_for_sole_source(found, groups, policy, rejected)
    return [c for c in found if any(c.units)], rejected


def _held_by_node(stock: Iterable[Stock], groups: list[Group]) -> dict[int, tuple[list[int], dict[StockKey, Stock]]]:
    """Per node: the units it holds for each group, and its stock by (SKU, pool)."""
    slots = {(g.sku_id.int, pool): n for n, g in enumerate(groups) for pool in g.pools}
    held: dict[int, tuple[list[int], dict[StockKey, Stock]]] = {}
    for item in stock:
        key = (item.sku_id.int, item.pool)
        group = slots.get(key)
        if group is None or item.available <= 0:
            continue
        at = held.get(item.location_id.int)
        if at is None:
            at = held[item.location_id.int] = ([0] * len(groups), {})
        at[0][group] += item.available
        at[1][key] = item
    return held


def _candidate(order: OrderToRoute, node: Node, at: tuple[list[int], dict[StockKey, Stock]],
               policy: PreparedPolicy, groups: list[Group], rejected: dict[str, Sequence[str]]) -> Candidate | None:
    reach = policy.reach(node.code, node.kind, node.place, order.destination, order.country)
    refusal = _node_refusal(order, node, reach)
    if refusal:
        rejected[node.code] = (refusal,)
        return None
    units, shelves = at
    reasons: tuple[str, ...] = ()
    complete = True
    for g, group in enumerate(groups):
        why = group.no_stock if units[g] <= 0 else _product_refusal(group, node, policy)
        if why:
            units[g] = 0
            reasons = (*reasons, why)
        complete = complete and units[g] >= group.quantity
    if reasons:
        rejected[node.code] = reasons
    return Candidate(node, reach, shelves, units, complete)


def _node_refusal(order: OrderToRoute, node: Node, reach: Reach) -> str | None:
    if node.code in order.excluded:
        return "excluded: it short-picked this order"
    if reach.rule.excluded:
        return "excluded by the routing policy"
    if order.pickup_at is not None:
        return None if node.can_pickup else "does not offer pickup"
    if not node.can_ship:
        return "does not ship"
    if not reach.allowed:
        return f"does not ship to {_region(order)}"
    if not reach.zones:
        return f"no carrier serves the lane to {_region(order)}"
    return None


def _product_refusal(group: Group, node: Node, policy: PreparedPolicy) -> str | None:
    if not (group.high_value or group.fragile):
        return None
    rules = policy.constraints
    if group.high_value and rules.high_value_needs_secure and not node.secure:
        return f"not secure for high-value {group.sku}"
    if group.fragile and rules.fragile_needs_packing and not node.packs_fragile:
        return f"does not pack fragile {group.sku}"
    return None


def _keep_suppliers_for_sole_source(found: list[Candidate], groups: list[Group], policy: PreparedPolicy,
                                    rejected: dict[str, Sequence[str]]) -> None:
    if not policy.constraints.supplier_only_when_sole_source:
        return
    for g, group in enumerate(groups):
        if not any(c.units[g] for c in found if c.node.kind != SUPPLIER):
            continue
        for c in found:
            if c.node.kind == SUPPLIER and c.units[g]:
                c.units[g], c.complete = 0, False
                add_reason(rejected, c.node.code, f"our own nodes hold {group.sku}: no drop-ship")


def add_reason(rejected: dict[str, Sequence[str]], code: str, reason: str) -> None:
    rejected[code] = (*rejected.get(code, ()), reason)


def _region(order: OrderToRoute) -> str:
    province = order.destination.province if order.destination else None
    return f"{order.country}-{province}" if province else order.country
