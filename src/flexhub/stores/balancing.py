"""Stock balanced between a store and the network, from sales and forecasts: replenishment's transfer suggestions
that bring stock to the store or take its surplus elsewhere, and, with one click, the transfers that carry them out
(one per pair of nodes)."""

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flexhub import inventory, replenishment
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.stores import queries


def suggestions(uow: UnitOfWork, tenant_id: uuid.UUID, location: str) -> list[dict[str, Any]]:
    """The transfers to or from the store replenishment suggests today: {sku, from, to, quantity}."""
    queries.store(uow, tenant_id, location)
    found = replenishment.suggestions(uow.connection, tenant_id, today=clock.now().date())["suggestions"]
    return [{"sku": s["sku"], "from": s["source"], "to": s["location"], "quantity": s["quantity"]}
            for s in found if s["kind"] == "transfer" and location in (s["location"], s["source"])]


def carry_out(actor: Actor, moves: list[dict[str, Any]], dispatch: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """One transfer per (from, to) with its lines; what each transfer answered."""
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for move in moves:
        grouped[(move["from"], move["to"])].append(inventory.TransferLineSpec(sku=move["sku"],
                                                                              quantity=move["quantity"]))
    made = []
    for (source, target), lines in sorted(grouped.items()):
        sent = dispatch(inventory.CreateTransfer(actor=actor, from_location=source, to_location=target, lines=lines,
                                                 reference="store balancing"))
        made.append({"id": str(sent.id), "from": source, "to": target,
                     "units": sum(line.quantity for line in lines)})
    return made
