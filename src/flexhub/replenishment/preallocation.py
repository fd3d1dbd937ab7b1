"""Pre-allocation before a sale: stock moved ahead to the nodes that will sell it, from the forecast and the event
calendar.

For an event, each of its SKUs at each node that sells it is forecast from today to the event's last day (the
event's uplift on its days, through the node's share of the event's channels); the node should hold the Poisson
`service` quantile of that demand. Nodes short of it are filled, the shortest cover first, from nodes holding more
than their own need (a node gives only what it has on hand and free, never units still on the road); suppliers'
nodes neither give nor take. Each node's target is shared among its channels by the reconciled channel forecast:
the quotas a planner can give each channel for the sale. One click (`carry_out`) makes one transfer per pair of
nodes, which the ledger records as any transfer (units out of the source, in transit to the target)."""

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection

from flexhub import inventory, planning
from flexhub.kernel.messages import Actor
from flexhub.replenishment import channel_split, repository, rules
from flexhub.replenishment.queries import plan

KEPT_OUT = ("supplier",)  # node kinds that neither give nor take


def preallocation(connection: Connection, tenant_id: uuid.UUID, event_id: str, *, today: date,
                  service: float = 0.95) -> dict[str, Any]:
    """The plan for one event: each node's expected demand, target and channel quotas, and the transfers."""
    event = planning.get_event(connection, tenant_id, event_id)
    if event["ends_on"] < today:
        raise planning.EventOver(f"event {event['name']} ended on {event['ends_on']}", event_id=event_id)
    window = (event["ends_on"] - today).days + 1
    found = plan(connection, tenant_id, today=today, service=service, horizon=window)
    stock = repository.positions(connection, tenant_id)
    channels = repository.channel_codes(connection, tenant_id, {c for *_, c in found.history.by_channel})
    sold_here = set(event["skus"])
    holdings, nodes = [], []
    for row, (sku_id, location_id) in enumerate(found.history.keys):
        sku, node = found.skus[sku_id].code, found.locations[location_id]
        if sku not in sold_here or node.kind in KEPT_OUT:
            continue
        daily = found.forecasts.daily[row, :window]
        held = stock.get((sku_id, location_id), {"available": 0, "in_transit": 0})
        holding = rules.Holding(sku, node.code, max(0, held["available"]), held["in_transit"],
                          rules.poisson_quantile(float(daily.sum()), service), float(daily.sum()))
        holdings.append(holding)
        parts = channel_split.split(found.history, row, daily, found.events, today)
        shared = rules.quotas(holding.target, {c: float(units.sum()) for c, units in parts.items()})
        nodes.append({"sku": sku, "location": node.code, "expected": round(holding.expected, 1),
                      "target": holding.target, "available": holding.available, "in_transit": holding.in_transit,
                      "channels": [{"channel": channels.get(c) if c is not None else None, "quota": units}
                                   for c, units in sorted(shared.items(), key=lambda p: -p[1])]})
    seen = {(h.sku, h.location) for h in holdings}
    for (sku_id, location_id), held in stock.items():  # stock where the SKU never sold: a donor
        sku_row, node = found.skus.get(sku_id), found.locations.get(location_id)
        if sku_row is None or node is None or sku_row.code not in sold_here or node.kind in KEPT_OUT:
            continue
        if (sku_row.code, node.code) not in seen and held["available"] > 0:
            holdings.append(rules.Holding(sku_row.code, node.code, held["available"], held["in_transit"], 0, 0.0))
    transfers = rules.preallocation_moves(holdings)
    return {"event": {k: event[k] for k in ("id", "name", "kind", "starts_on", "ends_on", "uplift")},
            "as_of": today, "service_target": service, "window_days": window,
            "nodes": sorted(nodes, key=lambda n: (n["sku"], n["location"])), "transfers": transfers,
            "units": sum(t["quantity"] for t in transfers)}


def carry_out(actor: Actor, found: dict[str, Any], dispatch: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """The plan's transfers made, one per pair of nodes, referenced by the event; what each answered."""
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for move in found["transfers"]:
        grouped[(move["from"], move["to"])].append(inventory.TransferLineSpec(sku=move["sku"],
                                                                              quantity=move["quantity"]))
    made = []
    reference = f"pre-allocation {found['event']['id']}"
    for (source, target), lines in sorted(grouped.items()):
        sent = dispatch(inventory.CreateTransfer(actor=actor, from_location=source, to_location=target, lines=lines,
                                                 reference=reference))
        made.append({"id": str(sent.id), "from": source, "to": target,
                     "units": sum(line.quantity for line in lines)})
    return made
