"""What routing decisions are made from, read (and locked) inside the routing transaction: for one order, or for a
batch of one tenant's orders at once.

The orders are locked first (by the caller), then their active reservations, then every stock level their SKUs
could be drawn from, in id order (as inventory locks them): the same order as a cancellation, so the two cannot
deadlock. Each level is offered with its free units plus what the order holds there, since routing may move its own
reservations. A batch keeps its levels and the nodes' loads as each of its orders is placed, so every decision sees
what the orders before it took, as it would in a transaction of its own after theirs.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flexhub import catalog, channels, inventory, ordering
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import Level, LevelKey
from flexhub.kernel.addresses import PICKUP_KEY
from flexhub.ordering import LineDemand, needs_for
from flexhub.routing import geo, policies, repository
from flexhub.routing.candidates import Line, Node, OrderToRoute, Stock
from flexhub.routing.errors import AwaitingPayment
from flexhub.routing.policy import RoutingPolicy
from flexhub.routing.rules import awaits_payment


@dataclass(frozen=True)
class Inputs:
    order: OrderToRoute
    nodes: list[Node]
    stock: list[Stock]
    held: list[Any]  # the order's active reservations, as locked
    levels: list[Level]  # every level the order's lines may draw from, as locked (and kept by the batch)


class Batch:
    """One tenant's locked orders' inputs, read at once: the policy, channels, reservations, lines and levels."""

    def __init__(self, uow: UnitOfWork, tenant_id: uuid.UUID, orders: Sequence[Any]) -> None:
        self.uow, self.tenant_id = uow, tenant_id
        self.prepared, self.revision = policies.current(uow, tenant_id)
        connection = uow.connection
        self.channels = channels.channels_by_id(connection, tenant_id, {o.channel_id for o in orders})
        self.held: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for r in inventory.active_reservations(connection, tenant_id, [o.id for o in orders]):
            self.held[r.order_id].append(r)
        self.lines = _lines(connection, tenant_id, orders, self.channels, self.prepared.policy)
        skus = {line.sku_id for lines in self.lines.values() for line in lines}
        pools = {pool for lines in self.lines.values() for line in lines for pool in line.pools}
        locked = inventory.lock_levels(connection, tenant_id, skus, pools=pools) if skus else []
        self.levels: dict[LevelKey, Level] = {_key(lv): lv for lv in locked}  # kept as orders move stock
        self._by_sku: dict[uuid.UUID, list[LevelKey]] = defaultdict(list)  # in candidate order
        for lv in locked:
            self._by_sku[lv.sku_id].append(_key(lv))
        self._rank = {_key(lv): n for n, lv in enumerate(locked)}
        self._locations: list[Any] | None = None
        self._places: dict[uuid.UUID, Any] = {}
        self.loads: dict[date, dict[uuid.UUID, int]] = {}  # read once a day, counted as orders are placed
        self.added: dict[date, dict[uuid.UUID, int]] = defaultdict(lambda: defaultdict(int))  # to write at the end

    def inputs(self, order: Any, day: date, excluded: frozenset[str]) -> Inputs:
        channel = self.channels[order.channel_id]
        if awaits_payment(order.payment_state, channel.unpaid_hold_minutes):
            raise AwaitingPayment(f"the order awaits its payment (held {channel.unpaid_hold_minutes} minutes for "
                                  "it): it is routed once paid", payment_state=order.payment_state)
        lines, held = self.lines[order.id], self.held.get(order.id, [])
        pools = {p for line in lines for p in line.pools}
        keys = sorted((key for sku_id in {line.sku_id for line in lines} for key in self._by_sku.get(sku_id, ())
                       if key[2] in pools), key=self._rank.__getitem__)
        levels = [self.levels[key] for key in keys]
        own: dict[LevelKey, int] = defaultdict(int)
        for r in held:
            own[(r.sku_id, r.location_id, r.pool)] += r.quantity
        stock = [Stock(lv.id, lv.location_id, lv.sku_id, lv.pool,
                       max(0, lv.on_hand - lv.reserved + own[_key(lv)] - lv.safety)) for lv in levels]
        address = order.shipping_address or {}
        routed = OrderToRoute(
            lines=tuple(lines), country=str(address.get("country") or geo.CHINA).upper(),
            destination=geo.place_of_address(address), sla_days=_sla_days(channel, self.prepared.policy),
            vip=order.is_vip, pickup_at=address.get(PICKUP_KEY), excluded=excluded,
        )
        return Inputs(routed, self.nodes(day), stock, held, levels)

    def nodes(self, day: date) -> list[Node]:
        if self._locations is None:
            self._locations = repository.locations(self.uow.connection, self.tenant_id)
            self._places = {row.id: _node(row) for row in self._locations}
        load = self._loads_on(day)
        return [replace(self._places[row.id], load=load.get(row.id, 0)) for row in self._locations]

    def lock(self, keys: Iterable[LevelKey]) -> dict[LevelKey, Level]:
        """The levels of `keys`: those of the batch as they stand, the others (held in a pool the channel no longer
        sells from) locked now and kept."""
        wanted = set(keys)
        missing = sorted(wanted - set(self.levels), key=str)
        if missing:
            self.levels.update(inventory.lock_levels_by_key(self.uow.connection, self.tenant_id, missing))
        return {key: self.levels[key] for key in wanted if key in self.levels}

    def count_loads(self, day: date, changes: dict[uuid.UUID, int]) -> None:
        """Parcels routed to (or moved away from) each node, never below zero, as `repository.add_loads` writes."""
        load = self._loads_on(day)
        for location_id, delta in changes.items():
            if delta:
                load[location_id] = max(0, load.get(location_id, 0) + delta)
                self.added[day][location_id] += delta

    def _loads_on(self, day: date) -> dict[uuid.UUID, int]:
        if day not in self.loads:
            self.loads[day] = repository.loads(self.uow.connection, self.tenant_id, day)
        return self.loads[day]

    def write_loads(self) -> None:
        for day, changes in self.added.items():
            repository.add_loads(self.uow.connection, self.tenant_id, day, dict(changes))
        self.added.clear()


def nodes(uow: UnitOfWork, tenant_id: uuid.UUID, day: date) -> list[Node]:
    load = repository.loads(uow.connection, tenant_id, day)
    return [replace(_node(row), load=load.get(row.id, 0)) for row in repository.locations(uow.connection, tenant_id)]


def _node(row: Any) -> Node:
    return Node(row.id, row.code, row.kind, geo.place_at(row.latitude, row.longitude, row.country, row.province,
                                                         row.city),
                can_ship=row.can_ship, can_pickup=row.can_pickup, secure=row.secure, packs_fragile=row.packs_fragile,
                daily_capacity=row.daily_capacity)


def _key(level: Level) -> LevelKey:
    return (level.sku_id, level.location_id, level.pool)


def _lines(connection: Any, tenant_id: uuid.UUID, orders: Sequence[Any], by_id: dict[uuid.UUID, Any],
           policy: RoutingPolicy) -> dict[uuid.UUID, list[Line]]:
    """What each order's lines need, bundles as their components, from the pools its channel sells from."""
    rows = ordering.lines_of_orders(connection, tenant_id, [o.id for o in orders])
    components = catalog.components_of(connection, tenant_id, {r.sku_id for lines in rows.values() for r in lines})
    needs = {o.id: needs_for([LineDemand(r.line_no, r.sku_id, r.quantity, r.is_presale) for r in rows.get(o.id, [])],
                             components, by_id[o.channel_id].pools) for o in orders}
    skus = repository.skus_by_id(connection, tenant_id, {n.sku_id for each in needs.values() for n in each})
    return {order_id: [Line(n.line_no, n.sku_id, skus[n.sku_id].code, n.quantity, n.pools,
                            skus[n.sku_id].weight_g or policy.default_weight_g, skus[n.sku_id].fragile,
                            skus[n.sku_id].high_value) for n in each]
            for order_id, each in needs.items()}


def _sla_days(channel: Any, policy: RoutingPolicy) -> int:
    """The channel's promise (`sla_days` in its settings), else the policy's default."""
    promised = (channel.settings or {}).get("sla_days")
    return promised if isinstance(promised, int) and promised > 0 else policy.default_sla_days

