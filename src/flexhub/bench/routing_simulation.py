"""Routing a world's orders one after another as a strategy decides: stock taken, node loads per day.

What a parcel costs is its carrier's price. A node that is past its daily capacity ships the
parcel a day later for every full day of work ahead of it, so overloading a node shows up as
missed SLAs. Each strategy runs on its own copy of the stock.
"""

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace

from flexhub.bench.routing_strategies import Strategy
from flexhub.bench.routing_world import World
from flexhub.routing.candidates import OrderToRoute, Stock
from flexhub.routing.plans import Plan


@dataclass
class Tally:
    orders: int = 0
    routed: int = 0
    unroutable: int = 0
    splits: int = 0
    sla_met: int = 0
    shipping_cost: int = 0  # minor units (fen)
    max_utilization: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds per decision, wall clock
    cpu_seconds: float = 0.0  # this thread's CPU time in decisions: what a busy machine's other work does not add

    def figures(self) -> dict[str, float | int]:
        routed = self.routed or 1
        return {
            "shipping_cost": self.shipping_cost,
            "split_rate": round(self.splits / routed, 4),
            "sla_met_rate": round(self.sla_met / routed, 4),
            "max_node_utilization": round(self.max_utilization, 3),
        }


class Simulation:
    def __init__(self, world: World) -> None:
        self.world = world
        self.units = dict(world.stock)
        self.level_ids = {key: uuid.UUID(int=n + 1) for n, key in enumerate(sorted(world.stock))}
        self.holders: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for location_id, sku_id in sorted(world.stock):
            self.holders[sku_id].append(location_id)
        self.nodes = list(world.nodes)
        self.index = {node.location_id: n for n, node in enumerate(self.nodes)}

    def run(self, strategy: Strategy) -> Tally:
        tally = Tally()
        per_day = -(-len(self.world.orders) // self.world.days)
        for n, order in enumerate(self.world.orders):
            if n % per_day == 0:
                self._new_day(tally)
            stock = self.stock_for(order)
            started, cpu = time.perf_counter(), time.thread_time()
            plan = strategy(order, self.nodes, stock)
            tally.latencies.append(time.perf_counter() - started)
            tally.cpu_seconds += time.thread_time() - cpu
            self._record(order, plan, tally)
        self._new_day(tally)
        return tally

    def stock_for(self, order: OrderToRoute) -> list[Stock]:
        found = []
        for line in order.lines:
            for location_id in self.holders[line.sku_id]:
                units = self.units[(location_id, line.sku_id)]
                if units > 0:
                    key = (location_id, line.sku_id)
                    found.append(Stock(self.level_ids[key], location_id, line.sku_id, "spot", units))
        return found

    def _record(self, order: OrderToRoute, plan: Plan | None, tally: Tally) -> None:
        tally.orders += 1
        if plan is None:
            tally.unroutable += 1
            return
        tally.routed += 1
        tally.splits += plan.is_split
        tally.shipping_cost += plan.shipping_price
        late = False
        for parcel in plan.parcels:
            n = self.index[parcel.node.location_id]
            node = self.nodes[n]
            backlog = node.load // node.daily_capacity if node.daily_capacity else 0
            late = late or parcel.days + backlog > order.sla_days
            self.nodes[n] = replace(node, load=node.load + 1)
            for index, units in parcel.lines:
                self.units[(node.location_id, order.lines[index].sku_id)] -= units
        tally.sla_met += not late

    def _new_day(self, tally: Tally) -> None:
        for n, node in enumerate(self.nodes):
            if node.daily_capacity:
                tally.max_utilization = max(tally.max_utilization, node.load / node.daily_capacity)
            if node.load:
                self.nodes[n] = replace(node, load=0)
