"""Reading shipments: one shipment with its lines, its label, and the shipment problems for the exceptions queue.

The shipments list: by state, carrier, node or order; sorted by when made, shipped or state; never the label's
bytes (`has_label` says whether there is one).
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, func, literal, or_, select

from flexhub import identity, resellers
from flexhub.catalog.model import Sku
from flexhub.channels import ShipmentNotice as NoticeToChannel
from flexhub.channels.model import Channel
from flexhub.fulfillment import repository
from flexhub.fulfillment.errors import NoLabel, UnknownShipment
from flexhub.fulfillment.model import Shipment, ShipmentLine, ShipmentNotice, TrackingEvent
from flexhub.fulfillment.rules import OPEN
from flexhub.inventory.model import BinAssignment, Location, Reservation
from flexhub.kernel import clock
from flexhub.lists import ListSpec
from flexhub.ordering.model import Order, OrderLine
from flexhub.shipping import Address, packing_slips

SILENT_HOURS = 48  # a parcel with no tracking event for this long needs someone to look


def shipment_view(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID, *,
                  partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    query = (select(Shipment, Location.code.label("node"), Order.partner_id)
             .join(Location, Location.id == Shipment.location_id).join(Order, Order.id == Shipment.order_id)
             .where(Shipment.tenant_id == tenant_id, Shipment.id == shipment_id))
    row = connection.execute(query).first()
    if row is None or (partner_id is not None and row.partner_id != partner_id):
        raise UnknownShipment(f"no shipment {shipment_id}")
    lines = connection.execute(
        select(ShipmentLine, Sku.code.label("sku")).join(Sku, Sku.id == ShipmentLine.sku_id)
        .where(ShipmentLine.shipment_id == shipment_id).order_by(ShipmentLine.line_no, ShipmentLine.id))
    return {
        "id": str(row.id), "order_id": str(row.order_id), "node": row.node, "state": row.state,
        "state_reason": row.state_reason, "carrier": row.carrier, "service": row.service,
        "waybill_state": row.waybill_state, "waybill_number": row.waybill_number, "waybill_error": row.waybill_error,
        "label_url": row.label_url, "has_label": row.label is not None, "label_format": row.label_format,
        "pickup": row.pickup_code is not None, "tracking_state": row.tracking_state,
        "last_event_at": row.last_event_at, "shipped_at": row.shipped_at, "delivered_at": row.delivered_at,
        "created_at": row.created_at,
        "lines": [{"line_no": r.line_no, "sku": r.sku, "pool": r.pool, "quantity": r.quantity} for r in lines],
    }


def open_shipment_ids(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[str]:
    """The order's shipments not yet shipped (made, picked or packed): what a cancellation must undo first."""
    return [str(row.id) for row in repository.order_shipments(connection, tenant_id, order_id) if row.state in OPEN]


def label(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> bytes | str:
    """The label's bytes, or else the carrier's URL for it."""
    query = select(Shipment.label, Shipment.label_url).where(Shipment.tenant_id == tenant_id,
                                                             Shipment.id == shipment_id)
    row = connection.execute(query).first()
    if row is not None and row.label is not None:
        return row.label
    if row is not None and row.label_url is not None:
        return row.label_url
    raise NoLabel(f"shipment {shipment_id} has no label")


def picking_lines(connection: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID], *,
                  partner_id: uuid.UUID | None = None) -> list[Any]:
    """What the chosen orders hold at each node and have not shipped, one row a (node, SKU, order): node, bin (None
    where none is set), SKU and name, units, order number; by node, then bin (unset last), SKU and order."""
    query = (
        select(Location.code.label("node"), Location.name.label("node_name"), BinAssignment.bin,
               Sku.code.label("sku"), Sku.name.label("sku_name"), Order.external_id,
               func.sum(Reservation.quantity).label("quantity"))
        .join(Location, Location.id == Reservation.location_id).join(Sku, Sku.id == Reservation.sku_id)
        .join(Order, Order.id == Reservation.order_id)
        .outerjoin(BinAssignment, and_(BinAssignment.location_id == Reservation.location_id,
                                       BinAssignment.sku_id == Reservation.sku_id))
        .where(Reservation.tenant_id == tenant_id, Reservation.order_id.in_(list(order_ids)),
               Reservation.state == "active")
        .group_by(Location.code, Location.name, BinAssignment.bin, Sku.code, Sku.name, Order.external_id))
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    rows = connection.execute(query).all()
    return sorted(rows, key=lambda r: (r.node, r.bin is None, r.bin or "", r.sku, r.external_id))


def labels_of_orders(connection: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID], *,
                     partner_id: uuid.UUID | None = None) -> list[Any]:
    """The parcels of the chosen orders not cancelled, each with its label's bytes (None when the carrier keeps it
    at a URL, or none came yet): by order number, then when made."""
    query = (select(Shipment.id, Shipment.label, Shipment.label_url, Shipment.waybill_number, Order.external_id)
             .join(Order, Order.id == Shipment.order_id)
             .where(Shipment.tenant_id == tenant_id, Shipment.order_id.in_(list(order_ids)),
                    Shipment.state != "cancelled")
             .order_by(Order.external_id, Shipment.created_at, Shipment.id))
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    return list(connection.execute(query))


def shipment_problems(connection: Connection, tenant_id: uuid.UUID, *, silent_hours: int = SILENT_HOURS,
                      limit: int = 200) -> list[dict[str, Any]]:
    """Carrier errors, parcels silent for `silent_hours`, failed deliveries, and channel notices failing (from the
    first failed try, one entry a shipment however often it is tried) or parked."""
    silent_since = clock.now() - timedelta(hours=silent_hours)
    moving = Shipment.state.in_(("shipped", "in_transit"))
    query = (
        select(Shipment, ShipmentNotice.state.label("notice_state"), ShipmentNotice.last_error.label("notice_error"),
               ShipmentNotice.attempts.label("notice_attempts"),
               ShipmentNotice.next_attempt_at.label("notice_next_try"))
        .outerjoin(ShipmentNotice, ShipmentNotice.shipment_id == Shipment.id)
        .where(Shipment.tenant_id == tenant_id, or_(
            Shipment.waybill_state == "failed", Shipment.state == "failed", ShipmentNotice.state == "dead",
            and_(ShipmentNotice.state == "pending", ShipmentNotice.attempts > 0),
            and_(moving, or_(Shipment.last_event_at < silent_since,
                             and_(Shipment.last_event_at.is_(None), Shipment.shipped_at < silent_since))))))
    rows = connection.execute(query.order_by(Shipment.updated_at.desc()).limit(limit))
    return [problem for row in rows for problem in _problems(row, silent_since)]


def _problems(row: Any, silent_since: Any) -> list[dict[str, Any]]:
    base = {"shipment_id": str(row.id), "order_id": str(row.order_id), "state": row.state, "carrier": row.carrier,
            "waybill_number": row.waybill_number}
    path, order = f"/api/v1/shipments/{row.id}", f"/api/v1/orders/{row.order_id}"
    cancel = {"action": "cancel", "method": "POST", "path": f"{path}/cancel"}
    reroute = {"action": "reroute", "method": "POST", "path": f"{order}/reroute"}
    repoll = {"action": "repoll", "method": "POST", "path": f"{path}/poll"}
    record = {"action": "record_tracking", "method": "POST", "path": f"{path}/tracking"}
    reship = {"action": "mark_lost_and_reship", "method": "POST", "path": f"{path}/lost"}
    contact = {"action": "contact_buyer", "method": "GET", "path": order}  # the order shows the buyer's phone
    found = []
    if row.waybill_state == "failed":
        found.append({**base, "problem": "carrier_error", "error": row.waybill_error, "actions": [
            {"action": "retry_waybill", "method": "POST", "path": f"{path}/waybill"}, reroute, cancel]})
    if row.state == "failed":
        found.append({**base, "problem": "delivery_failed", "error": row.state_reason, "actions": [
            repoll, contact, record, reship, {"action": "create_return", "method": "POST", "path": "/api/v1/returns"}]})
    if row.state in ("shipped", "in_transit") and (row.last_event_at or row.shipped_at) < silent_since:
        found.append({**base, "problem": "no_tracking_event", "since": row.last_event_at or row.shipped_at,
                      "actions": [repoll, record, reship, contact]})
    retry_notice = {"action": "retry_notice", "method": "POST", "path": f"{path}/notice"}
    if row.notice_state == "dead":
        found.append({**base, "problem": "channel_notice_failed", "error": row.notice_error,
                      "attempts": row.notice_attempts, "actions": [retry_notice]})
    elif row.notice_state == "pending" and row.notice_attempts:  # failing, tried again on its own: one entry
        found.append({**base, "problem": "channel_notice_failing", "error": row.notice_error,
                      "attempts": row.notice_attempts, "next_try": row.notice_next_try, "actions": [retry_notice]})
    return found


def parcel_nodes(connection: Connection, tenant_id: uuid.UUID) -> set[tuple[str, uuid.UUID]]:
    """(node code, order id) for every shipment not cancelled: where orders were sent from."""
    query = (select(Location.code, Shipment.order_id).join(Location, Location.id == Shipment.location_id)
             .where(Shipment.tenant_id == tenant_id, Shipment.state != "cancelled"))
    return {(code, order_id) for code, order_id in connection.execute(query)}


def open_shipments_of(connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID],
                      states: Any) -> list[Any]:
    """The orders' shipments in `states` (the ones not yet gone, say)."""
    query = select(Shipment).where(Shipment.tenant_id == tenant_id, Shipment.order_id.in_(order_ids),
                                   Shipment.state.in_(states))
    return list(connection.execute(query))


def open_parcels(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> int:
    """How many of the order's parcels a node may still be working on (made, picked or packed)."""
    return int(connection.execute(select(func.count()).select_from(Shipment).where(
        Shipment.tenant_id == tenant_id, Shipment.order_id == order_id, Shipment.state.in_(OPEN))).scalar_one())


def notice_to_send(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID
                   ) -> tuple[str, str | None, NoticeToChannel] | None:
    """A pending notice as its channel takes it: the platform, the channel's sealed credentials and the notice;
    None when it is not pending (sent already) or its shipment is gone."""
    row = connection.execute(
        select(Shipment, Order.external_id, Channel.platform, Channel.credentials)
        .join(ShipmentNotice, ShipmentNotice.shipment_id == Shipment.id)
        .join(Order, Order.id == Shipment.order_id).join(Channel, Channel.id == Order.channel_id)
        .where(Shipment.tenant_id == tenant_id, Shipment.id == shipment_id,
               ShipmentNotice.state.in_(["pending", "dead"]))).first()
    if row is None:
        return None
    shipment = row  # the shipment's columns, its order's number and its channel's beside them
    ordered = {line.line_no: line for line in connection.execute(
        select(OrderLine.line_no, OrderLine.external_line_id, OrderLine.quantity)
        .where(OrderLine.order_id == shipment.order_id))}
    lines = list(connection.execute(select(ShipmentLine.line_no, ShipmentLine.quantity)
                                    .where(ShipmentLine.shipment_id == shipment_id).order_by(ShipmentLine.line_no)))
    notice = NoticeToChannel(external_id=row.external_id, carrier=shipment.carrier or "",
                             tracking_number=shipment.waybill_number or "",
                             lines=tuple(((ordered[n].external_line_id if n in ordered else None) or str(n), quantity)
                                         for n, quantity in lines),
                             shipped_at=shipment.shipped_at,
                             whole=dict(lines) == {n: line.quantity for n, line in ordered.items()})
    return row.platform, row.credentials, notice


@dataclass(frozen=True, slots=True)
class WaybillParts:
    shipment: Any
    account: Any  # the node's own account with the carrier, else the tenant's; None without one
    order: Any
    node: Any
    lines: list[Any]
    weights: dict[uuid.UUID, int | None]


def waybill_parts(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> WaybillParts | None:
    """What a carrier needs for a shipment still waiting for its waybill; None when it waits for none."""
    shipment = connection.execute(select(Shipment).where(
        Shipment.tenant_id == tenant_id, Shipment.id == shipment_id, Shipment.carrier.is_not(None),
        Shipment.waybill_state.in_(("pending", "failed")), Shipment.state.in_(OPEN))).first()
    if shipment is None:
        return None
    account = repository.carrier_account(connection, tenant_id, shipment.carrier, shipment.location_id)
    order = connection.execute(select(Order).where(Order.id == shipment.order_id)).first()
    node = connection.execute(select(Location).where(Location.id == shipment.location_id)).first()
    lines = repository.lines_of(connection, [shipment_id])
    weights = dict(connection.execute(select(Sku.id, Sku.weight_g).where(Sku.id.in_({r.sku_id for r in lines}))).all())
    return WaybillParts(shipment, account, order, node, lines, weights)


def shipment_list(tenant_id: uuid.UUID, *, states: Sequence[str] = (), carrier: str | None = None,
                  node: str | None = None, order_id: uuid.UUID | None = None,
                  partner_id: uuid.UUID | None = None) -> ListSpec:
    """Parcels; with `partner_id` those of that partner's orders only, without the brand's node codes."""
    node_code = Location.code if partner_id is None else literal(None)
    query = (select(Shipment.id, Shipment.order_id, Order.external_id, node_code.label("node"), Shipment.state,
                    Shipment.state_reason, Shipment.carrier, Shipment.waybill_state, Shipment.waybill_number,
                    (Shipment.label.is_not(None) | Shipment.label_url.is_not(None)).label("has_label"),
                    Shipment.pickup_code.is_not(None).label("pickup"), Shipment.tracking_state,
                    Shipment.last_event_at, Shipment.shipped_at, Shipment.delivered_at, Shipment.created_at)
             .join(Location, Location.id == Shipment.location_id).join(Order, Order.id == Shipment.order_id)
             .where(Shipment.tenant_id == tenant_id))
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    if states:
        query = query.where(Shipment.state.in_(states))
    if carrier:
        query = query.where(Shipment.carrier == carrier)
    if node:
        query = query.where(Location.code == node)
    if order_id:
        query = query.where(Shipment.order_id == order_id)
    sorts = {"created_at": Shipment.created_at, "state": Shipment.state,
             "shipped_at": func.coalesce(Shipment.shipped_at, Shipment.created_at)}  # not yet shipped: when made
    return ListSpec(query=query, sorts=sorts, tie=Shipment.id, default_sort="-created_at", shape=_shaped)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"id": str(r.id), "order_id": str(r.order_id), "order_number": r.external_id, "node": r.node,
             "state": r.state, "state_reason": r.state_reason, "carrier": r.carrier, "waybill_state": r.waybill_state,
             "waybill_number": r.waybill_number, "has_label": bool(r.has_label), "pickup": bool(r.pickup),
             "tracking_state": r.tracking_state, "last_event_at": r.last_event_at, "shipped_at": r.shipped_at,
             "delivered_at": r.delivered_at, "created_at": r.created_at} for r in rows]


def shipments_of(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[dict[str, Any]]:
    """The order's parcels, oldest first, each with its lines and its tracking events."""
    rows = connection.execute(
        select(Shipment, Location.code.label("node")).join(Location, Location.id == Shipment.location_id)
        .where(Shipment.tenant_id == tenant_id, Shipment.order_id == order_id)
        .order_by(Shipment.created_at, Shipment.id)).all()
    ids = [r.id for r in rows]
    lines: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        query = (select(ShipmentLine, Sku.code.label("sku")).join(Sku, Sku.id == ShipmentLine.sku_id)
                 .where(ShipmentLine.shipment_id.in_(ids)).order_by(ShipmentLine.line_no))
        for r in connection.execute(query):
            lines[r.shipment_id].append({"sku": r.sku, "pool": r.pool, "quantity": r.quantity})
    events = tracking_events(connection, tenant_id, ids)
    return [{"id": str(r.id), "node": r.node, "state": r.state, "state_reason": r.state_reason, "carrier": r.carrier,
             "waybill_number": r.waybill_number, "tracking_state": r.tracking_state, "shipped_at": r.shipped_at,
             "delivered_at": r.delivered_at, "lines": lines[r.id], "events": events.get(r.id, [])} for r in rows]


def tracking_events(connection: Connection, tenant_id: uuid.UUID,
                    shipment_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """Carrier scans per shipment, newest first."""
    if not shipment_ids:
        return {}
    query = (select(TrackingEvent).where(TrackingEvent.tenant_id == tenant_id,
                                         TrackingEvent.shipment_id.in_(shipment_ids))
             .order_by(TrackingEvent.at.desc(), TrackingEvent.id.desc()))
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in connection.execute(query):
        found[r.shipment_id].append({"at": r.at, "state": r.state, "description": r.description,
                                     "location": r.location, "source": r.source})
    return found


def packing_slip(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID, *,
                 partner_id: uuid.UUID | None = None) -> packing_slips.PackingSlip:
    """The slip of a shipment (a partner's key: of its own order, or a drop-ship parcel its node ships): from the
    reseller for a reseller's order (blind drop-ship: the brand and its node
    named nowhere), else from the brand; the order's number as its buyer knows it; the shipment's SKUs and units."""
    row = connection.execute(select(Shipment.id, Order.partner_id, Order.external_id, Order.shipping_address,
                                    Order.buyer, Location.partner_id.label("node_partner_id"))
                             .join(Order, Order.id == Shipment.order_id)
                             .join(Location, Location.id == Shipment.location_id)
                             .where(Shipment.tenant_id == tenant_id, Shipment.id == shipment_id)).first()
    # A partner reads the slip of its own order, or of a parcel its own node ships (a supplier's drop-ship task).
    if row is None or (partner_id is not None and partner_id not in (row.partner_id, row.node_partner_id)):
        raise UnknownShipment(f"no shipment {shipment_id}")
    brand = resellers.blind_sender(connection, tenant_id, row.partner_id)
    seller = (packing_slips.Seller(brand.name, brand.phone, brand.logo) if brand is not None
              else packing_slips.Seller(identity.tenant_name(connection, tenant_id)))
    lines = connection.execute(
        select(Sku.code, Sku.name, func.sum(ShipmentLine.quantity)).join(Sku, Sku.id == ShipmentLine.sku_id)
        .where(ShipmentLine.shipment_id == shipment_id).group_by(Sku.code, Sku.name).order_by(Sku.code))
    return packing_slips.PackingSlip(seller, row.external_id, recipient_of(row),
                                     tuple((code, name or "", int(units)) for code, name, units in lines))


def recipient_of(order: Any) -> Address:
    """Where an order goes: its shipping address, the buyer's name and phone where the address has none."""
    to, buyer = order.shipping_address or {}, order.buyer or {}
    return Address(name=to.get("name") or buyer.get("name", ""), phone=to.get("phone") or buyer.get("phone", ""),
                   country=to.get("country", "CN"), line1=to.get("line1", ""), line2=to.get("line2", ""),
                   city=to.get("city", ""), province=to.get("province", ""), district=to.get("district", ""),
                   postal_code=to.get("postal_code", ""))


TASK_STATES = {"created": "new", "picked": "acknowledged", "packed": "packed"}


def dropship_tasks(connection: Connection, tenant_id: uuid.UUID, supplier_id: uuid.UUID, *,
                   shipment_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Drop-ship lines a supplier holds: the open shipments routing gave its own nodes (a supplier's node ships
    what no node of ours holds), each a task it acknowledges and ships. The buyer's address is shown whole (the
    supplier ships to it); the sender it puts on the parcel is the reseller for a reseller's order (blind)."""
    query = (select(Shipment.id, Shipment.state, Shipment.created_at, Location.code.label("node"),
                    Order.external_id, Order.partner_id, Order.shipping_address, Order.buyer)
             .join(Location, Location.id == Shipment.location_id).join(Order, Order.id == Shipment.order_id)
             .where(Shipment.tenant_id == tenant_id, Location.partner_id == supplier_id,
                    Shipment.state.in_(TASK_STATES))
             .order_by(Shipment.created_at, Shipment.id))
    if shipment_id is not None:
        query = query.where(Shipment.id == shipment_id)
    rows = list(connection.execute(query))
    lines: dict[Any, list[dict[str, Any]]] = {}
    for line in connection.execute(select(ShipmentLine.shipment_id, Sku.code, ShipmentLine.quantity)
                                   .join(Sku, Sku.id == ShipmentLine.sku_id)
                                   .where(ShipmentLine.shipment_id.in_([r.id for r in rows]))
                                   .order_by(ShipmentLine.line_no)):
        lines.setdefault(line.shipment_id, []).append({"sku": line.code, "quantity": line.quantity})
    brand = identity.tenant_name(connection, tenant_id)
    return [{"shipment_id": str(r.id), "order_number": r.external_id, "node": r.node, "state": TASK_STATES[r.state],
             "created_at": r.created_at, "lines": lines.get(r.id, []),
             "sender": (found.name if (found := resellers.blind_sender(connection, tenant_id, r.partner_id))
                        else brand),
             "ship_to": {**(r.shipping_address or {}), "name": recipient_of(r).name, "phone": recipient_of(r).phone},
             "packing_slip": f"/api/v1/shipments/{r.id}/packing-slip"} for r in rows]
