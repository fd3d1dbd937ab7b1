"""What a routing decision is made from, read (and locked) inside the routing transaction.

The order row is locked first, then its active reservations, then every stock level its SKUs
could be drawn from, in id order (as inventory locks them): the same order as a cancellation,
so the two cannot deadlock. Each level is offered with its free units plus what this order
holds there, since routing may move its own reservations.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from flexhub import catalog, channels, inventory
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import Level, LevelKey
from flexhub.kernel.addresses import PICKUP_KEY
from flexhub.ordering import LineDemand, needs_for, order_lines
from flexhub.routing import geo, repository
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
    levels: list[Level]  # every level the order's lines may draw from, as locked


def load_inputs(uow: UnitOfWork, order: Any, policy: RoutingPolicy, day: date,
                excluded: frozenset[str]) -> Inputs:
    tenant_id = order.tenant_id
    held = inventory.active_reservations(uow.connection, tenant_id, [order.id])
    channel = channels.channels_by_id(uow.connection, tenant_id, [order.channel_id])[order.channel_id]
    if awaits_payment(order.payment_state, channel.unpaid_hold_minutes):
        raise AwaitingPayment(f"the order awaits its payment (held {channel.unpaid_hold_minutes} minutes for it): "
                              "it is routed once paid", payment_state=order.payment_state)
    lines = _lines(uow, order, channel.pools, policy)
    pools = {p for line in lines for p in line.pools}
    levels = inventory.lock_levels(uow.connection, tenant_id, {line.sku_id for line in lines}, pools=pools)
    own: dict[LevelKey, int] = defaultdict(int)
    for r in held:
        own[(r.sku_id, r.location_id, r.pool)] += r.quantity
    stock = [
        Stock(lv.id, lv.location_id, lv.sku_id, lv.pool,
              max(0, lv.on_hand - lv.reserved + own[(lv.sku_id, lv.location_id, lv.pool)] - lv.safety))
        for lv in levels
    ]
    address = order.shipping_address or {}
    routed = OrderToRoute(
        lines=tuple(lines), country=str(address.get("country") or geo.CHINA).upper(),
        destination=geo.place_of_address(address), sla_days=_sla_days(channel, policy), vip=order.is_vip,
        pickup_at=address.get(PICKUP_KEY), excluded=excluded,
    )
    return Inputs(routed, nodes(uow, tenant_id, day), stock, held, levels)


def nodes(uow: UnitOfWork, tenant_id: uuid.UUID, day: date) -> list[Node]:
    load = repository.loads(uow.connection, tenant_id, day)
    return [
        Node(row.id, row.code, row.kind, geo.place_at(row.latitude, row.longitude, row.country, row.province, row.city),
             can_ship=row.can_ship, can_pickup=row.can_pickup, secure=row.secure, packs_fragile=row.packs_fragile,
             daily_capacity=row.daily_capacity, load=load.get(row.id, 0))
        for row in repository.locations(uow.connection, tenant_id)
    ]


def _lines(uow: UnitOfWork, order: Any, pools: list[str], policy: RoutingPolicy) -> list[Line]:
    """What each line needs, bundles as their components, from the pools the channel sells from."""
    rows = order_lines(uow.connection, order.tenant_id, order.id)
    demands = [LineDemand(r.line_no, r.sku_id, r.quantity, r.is_presale) for r in rows]
    components = catalog.components_of(uow.connection, order.tenant_id, {r.sku_id for r in rows})
    needs = needs_for(demands, components, pools)
    skus = repository.skus_by_id(uow.connection, order.tenant_id, {n.sku_id for n in needs})
    return [
        Line(n.line_no, n.sku_id, skus[n.sku_id].code, n.quantity, n.pools,
             skus[n.sku_id].weight_g or policy.default_weight_g, skus[n.sku_id].fragile, skus[n.sku_id].high_value)
        for n in needs
    ]


def _sla_days(channel: Any, policy: RoutingPolicy) -> int:
    """The channel's promise (`sla_days` in its settings), else the policy's default."""
    promised = (channel.settings or {}).get("sla_days")
    return promised if isinstance(promised, int) and promised > 0 else policy.default_sla_days
