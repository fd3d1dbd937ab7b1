"""Reading orders: one order with its lines and reservations, an order found by its channel id, the lines
routing places; and the dashboard's figures: flow per channel per minute, where orders stand, what an order's page
shows besides the order: its shipments with their tracking (the channel messages it came from are channels',
`channels.inbound_messages_of`).

The orders list, as the API, the orders page and their exports page through it: filtered by channel, status,
order number, words each found in the order number, a line's SKU code or product name, or the buyer's phone ending
(for those who may see phones), the buyer's phone ending and dates; sorted by when it came in, its total, its order
number or its status; each order with its SKUs and the nodes holding or shipping it.
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, SQLColumnExpression, and_, exists, func, or_, select

from flexhub import identity
from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location, Reservation
from flexhub.kernel import clock
from flexhub.kernel.addresses import pickup_store
from flexhub.lists import ListSpec, Match, containing, every_word, may_be_near, near_containing
from flexhub.ordering.errors import PhoneSearchForbidden, UnknownOrder
from flexhub.ordering.model import Order, OrderLine, SalesChannel
from flexhub.ordering.shared_trend import shared_per_minute


def order_view(
    connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, *, partner_id: uuid.UUID | None = None
) -> dict[str, Any]:
    found = order_views(connection, tenant_id, [order_id], partner_id=partner_id)
    if not found:
        raise UnknownOrder(f"no order {order_id}")
    return found[0]


def order_views(
    connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID], *, partner_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """Orders with their lines and reservations, in the order asked for (an unknown id is left out), in three
    statements however many orders: what a batch of imports answers."""
    headers = order_headers(connection, tenant_id, order_ids, partner_id=partner_id)
    found = [uuid.UUID(header["id"]) for header in headers]
    lines, held = _lines(connection, tenant_id, found), _reservations(connection, tenant_id, found)
    return [{**header, "lines": lines[order_id], "reservations": held[order_id]}
            for header, order_id in zip(headers, found, strict=True)]


def order_headers(
    connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID], *, partner_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """Orders as `order_views` has them without their lines and reservations (a consumer that needs only the
    buyer, the state and the total: members' points), in the order asked for, in one statement."""
    query = (
        select(Order, SalesChannel.c.code.label("channel_code"))
        .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id, Order.id.in_(order_ids))
    )
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    headers = {row.id: row for row in connection.execute(query)}
    return [_header(headers[order_id]) for order_id in dict.fromkeys(order_ids) if order_id in headers]


def order_numbers(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID], *,
                  partner_id: uuid.UUID | None = None) -> dict[uuid.UUID, tuple[str, str]]:
    """(order number, status) of each of these orders the tenant (or the partner) has; an unknown id is left out."""
    query = select(Order.id, Order.external_id, Order.status).where(Order.tenant_id == tenant_id,
                                                                     Order.id.in_(list(order_ids)))
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    return {row.id: (row.external_id, row.status) for row in connection.execute(query)}


def list_orders(
    connection: Connection,
    tenant_id: uuid.UUID,
    *,
    partner_id: uuid.UUID | None = None,
    channel: str | None = None,
    external_id: str | None = None,
    statuses: list[str] | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Order headers, newest first, filtered by channel, external id and status."""
    query = (
        select(Order, SalesChannel.c.code.label("channel_code"))
        .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
    )
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    if channel is not None:
        query = query.where(SalesChannel.c.code == channel)
    if external_id is not None:
        query = query.where(Order.external_id == external_id)
    if statuses:
        query = query.where(Order.status.in_(statuses))
    return [_header(row) for row in connection.execute(query)]


def order_lines(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[Any]:
    """The order's line rows in line order (routing reads them to know what to place)."""
    query = (select(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == order_id)
             .order_by(OrderLine.line_no))
    return list(connection.execute(query))


def lines_of_orders(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID]
                    ) -> dict[uuid.UUID, list[Any]]:
    """Each order's line rows in line order, read at once (routing's batch)."""
    query = (select(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id.in_(set(order_ids)))
             .order_by(OrderLine.order_id, OrderLine.line_no))
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.order_id].append(row)
    return found


def order_audit(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, *,
                actor_prefix: str | None = None) -> list[Any]:
    """The order's audit entries, newest first: its import is listed in its batch's row, which is stamped with the
    order's `created_at` (the writer's one moment per batch), and its later changes are rows of their own."""
    created_at = connection.execute(select(Order.created_at).where(Order.tenant_id == tenant_id,
                                                                   Order.id == order_id)).scalar()
    return identity.audit_entries(connection, tenant_id, entity="order", entity_id=str(order_id),
                                  actor_prefix=actor_prefix, listed_at=created_at)


def orders_of_buyers(connection: Connection, tenant_id: uuid.UUID, *, phones: Iterable[str],
                     buyer_ids: Iterable[tuple[str, str]], limit: int = 200) -> list[dict[str, Any]]:
    """Order headers of every channel whose buyer has one of `phones`, or one of the (channel code, buyer id) pairs
    as its platform's buyer id; newest first (a member's purchase history)."""
    phone = Order.buyer["phone"].as_string()
    buyer = Order.buyer["external_id"].as_string()
    matches = [phone.in_(list(phones))]
    matches += [and_(SalesChannel.c.code == code, buyer == value) for code, value in buyer_ids]
    query = (
        select(Order, SalesChannel.c.code.label("channel_code"))
        .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id, or_(*matches))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
    )
    return [_header(row) for row in connection.execute(query)]


def _header(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id), "channel": row.channel_code, "external_id": row.external_id, "status": row.status,
        "status_reason": row.status_reason, "currency": row.currency, "subtotal": row.subtotal,
        "discount_total": row.discount_total, "shipping_fee": row.shipping_fee, "total": row.total,
        "payment_state": row.payment_state, "presale": row.is_presale, "vip": row.is_vip,
        "live_room": row.live_room, "streamer": row.streamer, "buyer": row.buyer,
        "shipping_address": row.shipping_address, "placed_at": row.placed_at, "created_at": row.created_at,
        "updated_at": row.updated_at, "version": row.version,
    }


def _lines(connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    by_order: dict[uuid.UUID, list[dict[str, Any]]] = {order_id: [] for order_id in order_ids}
    query = (select(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id.in_(order_ids))
             .order_by(OrderLine.order_id, OrderLine.line_no))
    for r in connection.execute(query):
        by_order[r.order_id].append({"line_no": r.line_no, "sku": r.sku_code, "quantity": r.quantity,
                                     "unit_price": r.unit_price, "discount": r.discount, "presale": r.is_presale})
    return by_order


def _reservations(connection: Connection, tenant_id: uuid.UUID,
                  order_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    by_order: dict[uuid.UUID, list[dict[str, Any]]] = {order_id: [] for order_id in order_ids}
    query = (
        select(Reservation, Sku.code.label("sku_code"), Location.code.label("location_code"))
        .join(Sku, Sku.id == Reservation.sku_id)
        .join(Location, Location.id == Reservation.location_id)
        .where(Reservation.tenant_id == tenant_id, Reservation.order_id.in_(order_ids))
        .order_by(Reservation.order_id, Reservation.line_no, Reservation.created_at)
    )
    for r in connection.execute(query):
        by_order[r.order_id].append({"sku": r.sku_code, "location": r.location_code, "pool": r.pool,
                                     "quantity": r.quantity, "state": r.state, "expires_at": r.expires_at})
    return by_order


def orders_per_minute(connection: Connection, tenant_id: uuid.UUID, minutes: int = 30, *,
                      partner_id: uuid.UUID | None = None, shared: bool = False) -> dict[str, Any]:
    """Orders received per channel in each of the last `minutes` minutes (oldest first): with `partner_id`, of its
    own channels only; with `shared`, also the curve of all sellers' orders no single seller can be read from
    (ordering/shared_trend.py)."""
    now = clock.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=minutes - 1)
    rows = connection.execute(
        select(SalesChannel.c.code, Order.partner_id, Order.created_at)
        .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id, Order.created_at >= start)
    ).all()
    labels = [(start + timedelta(minutes=i)).strftime("%H:%M") for i in range(minutes)]
    series: dict[str, list[int]] = defaultdict(lambda: [0] * minutes)
    sellers: dict[uuid.UUID | None, list[int]] = defaultdict(lambda: [0] * minutes)  # None: the brand's own stores
    for code, seller, created_at in rows:
        index = int((clock.as_utc(created_at) - start).total_seconds() // 60)
        if 0 <= index < minutes:
            sellers[seller][index] += 1
            if partner_id is None or seller == partner_id:
                series[code][index] += 1
    found: dict[str, Any] = {"minutes": labels, "series": dict(sorted(series.items()))}
    if shared:
        found["shared"] = shared_per_minute(sellers, partner_id, minutes)
    return found


def status_counts(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None = None) -> dict[str, int]:
    """Orders per status: the tenant's, or with `partner_id` the partner's own."""
    query = select(Order.status, func.count()).where(Order.tenant_id == tenant_id).group_by(Order.status)
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    return {status: count for status, count in connection.execute(query)}


def orders_of_partner(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID,
                      references: Iterable[str | None]) -> set[str]:
    """Which of these references (texts that may be order ids) are orders of the partner's."""
    ids = {parsed for text in references if (parsed := _uuid(text))}
    if not ids:
        return set()
    query = select(Order.id).where(Order.tenant_id == tenant_id, Order.partner_id == partner_id, Order.id.in_(ids))
    return {str(order_id) for order_id in connection.execute(query).scalars()}


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def statuses_per_channel(connection: Connection, tenant_id: uuid.UUID) -> list[tuple[str, str, int]]:
    """(channel, status, orders) for every channel and status the tenant's orders are in."""
    query = (select(SalesChannel.c.code, Order.status, func.count())
             .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
             .where(Order.tenant_id == tenant_id).group_by(SalesChannel.c.code, Order.status))
    return [(code, status, count) for code, status, count in connection.execute(query)]


SHIPPING_FROM = ("routed", "picking", "packed")  # routed to a node and not gone yet


def orders_to_ship_from(connection: Connection, tenant_id: uuid.UUID, location_id: uuid.UUID,
                        limit: int = 100) -> list[dict[str, Any]]:
    """Orders routed to ship from this node (not picked up there) that have not left: oldest first, with the units
    the node holds for each."""
    query = (select(Order.id, Order.external_id, Order.status, Order.shipping_address, Order.created_at,
                    SalesChannel.c.code.label("channel"), Sku.code.label("sku"),
                    func.sum(Reservation.quantity).label("units"))
             .join(Reservation, Reservation.order_id == Order.id)
             .join(SalesChannel, SalesChannel.c.id == Order.channel_id)
             .join(Sku, Sku.id == Reservation.sku_id)
             .where(Order.tenant_id == tenant_id, Order.status.in_(SHIPPING_FROM), Reservation.state == "active",
                    Reservation.location_id == location_id)
             .group_by(Order.id, Order.external_id, Order.status, Order.shipping_address, Order.created_at,
                       SalesChannel.c.code, Sku.code)
             .order_by(Order.created_at, Order.id, Sku.code))
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for row in connection.execute(query):
        address = row.shipping_address or {}
        if pickup_store(address):
            continue  # collected at the node, not shipped from it
        task = found.setdefault(row.id, {
            "order_id": str(row.id), "external_id": row.external_id, "channel": row.channel, "status": row.status,
            "city": address.get("city"), "created_at": row.created_at, "lines": []})
        task["lines"].append({"sku": row.sku, "quantity": int(row.units)})
    return list(found.values())[:limit]


def routed_holding_nodes(connection: Connection, tenant_id: uuid.UUID) -> set[tuple[str, uuid.UUID]]:
    """(node code, order id) where a routed order still holds stock (no parcel made yet)."""
    query = (select(Location.code, Reservation.order_id).join(Location, Location.id == Reservation.location_id)
             .join(Order, Order.id == Reservation.order_id)
             .where(Order.tenant_id == tenant_id, Order.status == "routed", Reservation.state == "active"))
    return {(code, order_id) for code, order_id in connection.execute(query) if order_id is not None}


SORTS = ("created_at", "total", "external_id", "status", "updated_at")
PHONE_ENDING = re.compile(r"\d{3,11}")  # what a search box's word must be to be taken for a phone's ending
BUYER_PHONE: ColumnElement[str] = Order.buyer["phone"].as_string()


@dataclass(frozen=True, kw_only=True)
class OrderSearch:
    """What an orders list filters by; each field left empty filters nothing."""

    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    external_id: str | None = None  # the channel's order number, exactly
    number_starts: str | None = None  # the start of the channel's order number
    text: str | None = None  # words, each in the order number, a SKU code, a product name or the phone's ending
    phone_ending: str | None = None  # the last digits of the buyer's phone
    personal: bool = False  # the searcher may see buyers' phones: only then is an order found by one
    since: datetime | None = None  # received at or after
    until: datetime | None = None  # received before
    partner_id: uuid.UUID | None = None  # a partner's own orders only


def order_list(tenant_id: uuid.UUID, search: OrderSearch) -> ListSpec:
    """The orders the search finds; when its words are in none, those whose lines hold each word or one an edit
    away in a SKU code or product name (lists.search)."""
    query = (select(Order, SalesChannel.c.code.label("channel_code"))
             .join(SalesChannel, SalesChannel.c.id == Order.channel_id).where(Order.tenant_id == tenant_id))
    sorts: dict[str, SQLColumnExpression[Any]] = {name: getattr(Order, name) for name in SORTS}
    near = query.where(*_conditions(tenant_id, search, near_containing)) if may_be_near(search.text) else None
    return ListSpec(query=query.where(*_conditions(tenant_id, search, containing)), near=near, sorts=sorts,
                    tie=Order.id, default_sort="-created_at",
                    shape=lambda connection, rows: _shaped(connection, tenant_id, rows))


def _conditions(tenant_id: uuid.UUID, search: OrderSearch, match: Match) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if search.partner_id is not None:
        found.append(Order.partner_id == search.partner_id)
    if search.channels:
        found.append(SalesChannel.c.code.in_(search.channels))
    if search.statuses:
        found.append(Order.status.in_(search.statuses))
    if search.external_id:
        found.append(Order.external_id == search.external_id)
    if search.number_starts:
        found.append(Order.external_id.startswith(search.number_starts, autoescape=True))
    if (matched := every_word(search.text, lambda word: _word_found(tenant_id, word, search.personal, match))) \
            is not None:
        found.append(matched)
    if search.phone_ending:
        if not search.personal:
            raise PhoneSearchForbidden("this role may not see buyers' phones, so it may not search by one")
        found.append(BUYER_PHONE.endswith(search.phone_ending, autoescape=True))
    if search.since:
        found.append(Order.created_at >= search.since)
    if search.until:
        found.append(Order.created_at < search.until)
    return found


def _word_found(tenant_id: uuid.UUID, word: str, personal: bool, match: Match) -> ColumnElement[bool]:
    """A word of the search box in the order number, in a line's SKU code or product name (as `match` finds it
    there), or (for a searcher who may see phones) at the end of the buyer's phone when it is 3 to 11 digits."""
    in_a_line = (exists().where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == Order.id,
                                Sku.id == OrderLine.sku_id, match(word, OrderLine.sku_code, Sku.name)))
    places = [containing(word, Order.external_id), in_a_line]
    if personal and PHONE_ENDING.fullmatch(word):
        places.append(BUYER_PHONE.endswith(word, autoescape=True))
    return or_(*places)


def _shaped(connection: Connection, tenant_id: uuid.UUID, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    ids = [row.id for row in rows]
    skus, nodes = _skus(connection, tenant_id, ids), _nodes(connection, tenant_id, ids)
    return [{**_header(row), "skus": skus[row.id], "nodes": nodes[row.id]} for row in rows]


def _skus(connection: Connection, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        query = (select(OrderLine.order_id, OrderLine.sku_code, OrderLine.quantity)
                 .where(OrderLine.tenant_id == tenant_id, OrderLine.order_id.in_(ids))
                 .order_by(OrderLine.order_id, OrderLine.line_no))
        for order_id, sku, quantity in connection.execute(query):
            found[order_id].append({"sku": sku, "quantity": quantity})
    return found


def _nodes(connection: Connection, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The nodes whose stock the order took (held, or shipped from: a reservation row stays when it is consumed)."""
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    if ids:
        query = (select(Reservation.order_id, Location.code).join(Location, Location.id == Reservation.location_id)
                 .where(Reservation.tenant_id == tenant_id, Reservation.order_id.in_(ids),
                        Reservation.state != "released")
                 .distinct().order_by(Reservation.order_id, Location.code))
        for order_id, code in connection.execute(query):
            if order_id is not None:
                found[order_id].append(code)
    return found
