"""A delivery promise before there is an order: which node routing would ship a SKU from to a place, in how many
days and at what shipping cost (the scan-to-buy page's "delivered in N days from the central warehouse"). The same
pure decision routes real orders; here it runs on stock as it stands, unlocked, and reserves nothing."""

import uuid
from dataclasses import dataclass

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.routing import geo, policies, repository
from flexhub.routing.candidates import Line, OrderToRoute, Stock
from flexhub.routing.inputs import nodes
from flexhub.routing.rules import decide


@dataclass(frozen=True)
class Promise:
    nodes: tuple[str, ...]  # where the parcels would leave from
    days: int
    shipping_price: int  # minor units, the rate cards' price


def promise(uow: UnitOfWork, tenant_id: uuid.UUID, sku_id: uuid.UUID, quantity: int, *, country: str | None,
            province: str | None = None, city: str | None = None, pools: tuple[str, ...] = ("spot",),
            excluded: frozenset[str] = frozenset()) -> Promise | None:
    """None when no node can ship it there now (nowhere holds enough, or no node may ship)."""
    prepared, _ = policies.current(uow, tenant_id)
    policy = prepared.policy
    sku = repository.skus_by_id(uow.connection, tenant_id, [sku_id]).get(sku_id)
    if sku is None:
        return None
    line = Line(1, sku_id, sku.code, quantity, pools, sku.weight_g or policy.default_weight_g, sku.fragile,
                sku.high_value)
    order = OrderToRoute(lines=(line,), country=(country or geo.CHINA).upper(),
                         destination=geo.locate(country, province, city), sla_days=policy.default_sla_days,
                         excluded=excluded)
    stock = [Stock(r.id, r.location_id, r.sku_id, r.pool, max(0, r.free))
             for r in repository.free_stock(uow.connection, tenant_id, [sku_id], pools)]
    decision = decide(order, nodes(uow, tenant_id, policies.today(policy)), stock, prepared)
    if decision.plan is None:
        return None
    return Promise(decision.plan.nodes, decision.plan.promised_days, decision.plan.shipping_price)
