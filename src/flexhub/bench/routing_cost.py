"""`flexhub bench routing-cost`: one realistic order set routed by flexhub and by two baselines.

The same network, catalogue, stock and orders (flexhub.bench.routing_world, one seed) for each
strategy, each on its own copy of the stock: total shipping cost (minor units, fen), the share
of orders split, the share meeting the channel's SLA (a node past its daily capacity ships a day
late per full day of work ahead), and the busiest node-day's load against its capacity.
"""

from typing import Any

from rich.table import Table

from flexhub.bench.routing_simulation import Simulation
from flexhub.bench.routing_strategies import fixed_priority, flexhub, nearest
from flexhub.bench.routing_world import build_world
from flexhub.routing.policy import PreparedPolicy, RoutingPolicy

FIGURES = ("shipping_cost", "split_rate", "sla_met_rate", "max_node_utilization")


def run_routing_cost(*, orders: int, seed: int) -> dict[str, Any]:
    world = build_world(orders=orders, seed=seed)
    policy = PreparedPolicy(RoutingPolicy())
    strategies = {"flexhub": flexhub(policy), "nearest": nearest(policy), "fixed_priority": fixed_priority(policy)}
    return {"orders": orders,
            "strategies": {name: Simulation(world).run(strategy).figures() for name, strategy in strategies.items()}}


def comparison_table(report: dict[str, Any]) -> Table:
    table = Table("strategy", *FIGURES, title=f"flexhub bench routing-cost ({report['orders']} orders)")
    for name, figures in report["strategies"].items():
        table.add_row(name, *(str(figures[f]) for f in FIGURES))
    return table
