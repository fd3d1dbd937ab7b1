"""Draft orders from replenishment's suggestions: each purchase or production suggestion goes to its SKU's
best supplier, one order per supplier, node and kind; a factory is offered no more than it can still make. What the
brand's drafts already hold of a SKU at a node is left out (replenishment does not count a draft as on order until
it is sent, so drafting twice would otherwise draft it twice).

The suggestions come through `Suggesting` (replenishment.suggestions, bound by the composition root): replenishment
reads what purchasing has on order, so purchasing does not import it."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.kernel import clock
from flexhub.purchasing import repository
from flexhub.purchasing.commands import (
    ActOnOrder,
    CreatePurchaseOrder,
    OrderFromSuggestions,
    OrderLineSpec,
    OrdersFromSuggestions,
)
from flexhub.purchasing.handlers import act_in, place_order
from flexhub.purchasing.queries import order_view
from flexhub.purchasing.schemas import OrderOut


class Suggesting(Protocol):
    """What to buy, make and move (replenishment.suggestions): {"suggestions": [{"kind", "sku", "location",
    "quantity", ...}], ...}."""

    def __call__(self, connection: Connection, tenant_id: Any, *, today: date, service: float, review_days: int,
                 budget: int | None, factory_capacity: int | None) -> dict[str, Any]: ...


def order_from_suggestions(cmd: OrderFromSuggestions, uow_factory: UnitOfWorkFactory,
                           suggestions: Suggesting) -> OrdersFromSuggestions:
    """All drafts in one transaction: a group that cannot be placed places none."""
    tenant_id, today = cmd.actor.tenant_id, clock.now().date()
    with uow_factory() as uow:
        c = uow.connection
        offers = repository.terms(c, tenant_id)
        best: dict[str, str] = {}
        for t in offers:  # best first
            best.setdefault(t.sku, t.supplier)
        planned = suggestions(c, tenant_id, today=today, service=cmd.service, review_days=cmd.review_days,
                              budget=cmd.budget, factory_capacity=_free_capacity(c, tenant_id, offers))
        groups: dict[tuple[str, str, str], list[OrderLineSpec]] = defaultdict(list)
        unsourced = []
        drafted = repository.drafted_units(c, tenant_id)
        for s in planned["suggestions"]:
            if s["kind"] == "transfer":
                continue
            if s["sku"] not in best:
                unsourced.append(s)
                continue
            wanted = s["quantity"] - drafted.get((s["sku"], s["location"]), 0)
            if wanted > 0:
                groups[(best[s["sku"]], s["location"], s["kind"])].append(OrderLineSpec(sku=s["sku"],
                                                                                             quantity=wanted))
        ids = []
        for (supplier, location, kind), lines in sorted(groups.items()):
            create = CreatePurchaseOrder(actor=cmd.actor, supplier=supplier, location=location, kind=kind,
                                         lines=lines, reference="from replenishment suggestions")
            ids.append(place_order(uow, create))
            if cmd.send:
                act_in(uow, ActOnOrder(actor=cmd.actor, order_id=str(ids[-1]), action="send"))
        made = [OrderOut(**order_view(c, tenant_id, order_id)) for order_id in ids]
        uow.commit()
    return OrdersFromSuggestions(orders=made, unsourced=unsourced,
                                 transfers=[s for s in planned["suggestions"] if s["kind"] == "transfer"])


def _free_capacity(c: Connection, tenant_id: Any, offers: list[Any]) -> int | None:
    """Units the factories can still make within their lead times, or None where there is no factory."""
    leads: dict[Any, int] = {}
    for t in offers:
        if t.factory_capacity is not None:
            leads[t.partner_id] = max(leads.get(t.partner_id, 0), t.lead_time_days)
    if not leads:
        return None
    today = clock.now().date()
    free = 0
    for partner_id, lead in leads.items():
        capacity = repository.factory_capacity(c, tenant_id, partner_id) or 0
        booked = repository.booked_production(c, tenant_id, partner_id, today + timedelta(days=lead))
        free += max(0, capacity * lead - booked)
    return free
