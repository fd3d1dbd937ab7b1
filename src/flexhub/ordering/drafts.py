"""From an incoming order to the rows it becomes and the stock it needs: the shared first step of
importing a new order and of applying a newer version of a known one."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog
from flexhub.catalog import UnknownSku
from flexhub.inventory import Need
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository, rules
from flexhub.ordering.errors import ChannelForbidden, UnknownChannel
from flexhub.ordering.schemas import OrderIn


@dataclass(frozen=True, slots=True)
class Draft:
    order: dict[str, Any]  # the order row, without id-dependent status
    lines: list[dict[str, Any]]
    needs: list[Need]
    hold_until: Any  # when an unpaid order's reservation lapses, or None


@dataclass(frozen=True, slots=True)
class Lookups:
    """What a batch of incoming orders refers to, read once per batch."""

    channels: dict[str, Any]
    skus: dict[str, Any]
    components: dict[uuid.UUID, list[tuple[uuid.UUID, int]]]

    @classmethod
    def load(cls, connection: Connection, tenant_id: uuid.UUID, orders: list[OrderIn]) -> "Lookups":
        found_channels = repository.channels_by_code(connection, tenant_id, {o.channel for o in orders})
        skus = catalog.skus_by_code(connection, tenant_id, {line.sku for o in orders for line in o.lines})
        bundles = [s.id for s in skus.values() if s.is_bundle]
        return cls(found_channels, skus, catalog.components_of(connection, tenant_id, bundles))

    def channel_for(self, actor: Actor, code: str) -> Any:
        channel = self.channels.get(code)
        if channel is None:
            raise UnknownChannel(f"unknown channel {code}", channel=code)
        if actor.partner_id is not None and channel.partner_id != actor.partner_id:
            raise ChannelForbidden(f"channel {code} does not belong to this partner")
        return channel


def draft(order_id: uuid.UUID, incoming: OrderIn, channel: Any, lookups: Lookups,
          ids: Callable[[], uuid.UUID] = new_id, now: datetime | None = None) -> Draft:
    """Rows and needs for `incoming`; raises a domain error when the order cannot be taken.

    `ids` makes the lines' ids and `now` is the moment (the order writer hands out ids made in bulk and its batch's
    moment)."""
    skus = lookups.skus
    if any(line.sku not in skus for line in incoming.lines):
        unknown = sorted({line.sku for line in incoming.lines} - set(skus))
        raise UnknownSku(f"unknown SKU: {', '.join(unknown)}", skus=unknown)
    totals = rules.amounts(
        [(line.quantity, line.unit_price, line.discount) for line in incoming.lines],
        incoming.shipping_fee,
        incoming.order_discount,
    )
    now = now or clock.now()
    lines, demands = [], []
    for line_no, line in enumerate(incoming.lines, start=1):
        sku = skus[line.sku]
        presale = line.presale or incoming.presale
        lines.append({
            "id": ids(), "tenant_id": channel.tenant_id, "order_id": order_id, "line_no": line_no,
            "sku_id": sku.id, "sku_code": sku.code, "quantity": line.quantity, "unit_price": line.unit_price,
            "discount": line.discount, "is_presale": presale, "external_line_id": line.external_line_id,
        })
        demands.append(rules.LineDemand(line_no, sku.id, line.quantity, presale))
    order = {
        "id": order_id, "tenant_id": channel.tenant_id, "partner_id": channel.partner_id,
        "channel_id": channel.id, "external_id": incoming.external_id, "currency": incoming.currency,
        "subtotal": totals.subtotal, "discount_total": totals.discount_total,
        "shipping_fee": totals.shipping_fee, "total": totals.total, "payment_state": incoming.payment_state,
        "is_presale": incoming.presale or any(line.presale for line in incoming.lines),
        "is_vip": incoming.vip, "live_room": incoming.live_room, "streamer": incoming.streamer,
        "buyer": incoming.buyer.model_dump(mode="json", exclude_none=True),
        "shipping_address": incoming.shipping_address.model_dump(mode="json", exclude_none=True),
        "placed_at": incoming.placed_at, "channel_updated_at": incoming.updated_at, "updated_at": now,
    }
    hold_until = None
    if incoming.payment_state == "pending" and channel.unpaid_hold_minutes:
        hold_until = now + timedelta(minutes=channel.unpaid_hold_minutes)
    needs = rules.needs_for(demands, lookups.components, channel.pools)
    return Draft(order, lines, needs, hold_until)
