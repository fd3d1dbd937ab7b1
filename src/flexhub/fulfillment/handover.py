"""Fulfilment handlers once the parcel leaves the node: ship (reservations consumed through the ledger),
collect a pickup in store, and tracking events that move shipment and order."""

from datetime import datetime
from typing import Any

from flexhub import inventory
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.fulfillment import repository, rules
from flexhub.fulfillment.commands import (
    CollectPickup,
    PollTracking,
    RecordTrackingEvent,
    ShipmentStep,
    ShippedShipment,
    ShipShipment,
    TrackingRecorded,
)
from flexhub.fulfillment.errors import InvalidShipmentTransition, NotShippable, NotTrackable, NoWaybill
from flexhub.fulfillment.events import ShipmentShipped
from flexhub.fulfillment.handlers import locked_shipment, step
from flexhub.identity import audit
from flexhub.inventory import Holder, Movement, Take, movement_delta
from flexhub.kernel import clock
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import advance_order
from flexhub.shipping import TRACKING_STATES


def ship_shipment(cmd: ShipShipment, uow_factory: UnitOfWorkFactory) -> ShippedShipment:
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        rules.check_transition(shipment.state, "shipped")
        if shipment.pickup_code:
            raise NotShippable("a pickup order is collected in store, not shipped")
        number = cmd.waybill_number or shipment.waybill_number
        if not number:
            raise NoWaybill("the shipment has no waybill yet: issue one or give its number")
        units, units_left = _consume(uow, cmd.actor, order, shipment)
        target = rules.order_status_after("ship", order.status, units_left=units_left)
        step(uow, cmd.actor, order, shipment, "shipped", None, order_status=target, waybill_number=number,
             shipped_at=clock.now())
        uow.record(ShipmentShipped(tenant_id=order.tenant_id, shipment_id=str(shipment.id), order_id=str(order.id),
                                   carrier=shipment.carrier, waybill_number=number, units=units))
        uow.commit()
    return ShippedShipment(id=shipment.id, state="shipped", waybill_number=number, order_status=target or order.status)


def collect_pickup(cmd: CollectPickup, uow_factory: UnitOfWorkFactory) -> ShipmentStep:
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        rules.check_transition(shipment.state, "delivered")
        rules.check_pickup_code(shipment.pickup_code, cmd.code)
        _, units_left = _consume(uow, cmd.actor, order, shipment)
        target = rules.order_status_after("ship", order.status, units_left=units_left)
        now = clock.now()
        shipped = step(uow, cmd.actor, order, shipment, "delivered", None, order_status=target, shipped_at=now,
                       delivered_at=now)
        if shipped.status == "shipped":  # collected: the buyer has it
            advance_order(uow, shipped, "delivered")
        uow.commit()
    return ShipmentStep(id=shipment.id, state="delivered")


def record_tracking_event(cmd: RecordTrackingEvent, uow_factory: UnitOfWorkFactory) -> TrackingRecorded:
    """Keep the scan once; a scan kept already changes nothing, one older than the last is kept and moves nothing."""
    if cmd.state not in TRACKING_STATES:
        raise ValidationFailed(f"unknown tracking state {cmd.state!r}", states=list(TRACKING_STATES))
    at = _at(cmd.at)
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        if shipment.state in rules.OPEN or shipment.state == "cancelled":
            raise InvalidShipmentTransition(f"a shipment that is {shipment.state} has no tracking",
                                            state=shipment.state)
        code = cmd.carrier_code[:32]
        if repository.tracking_event_seen(uow.connection, shipment.id, at, cmd.state, code):
            return TrackingRecorded(id=shipment.id, state=shipment.state, tracking_state=shipment.tracking_state,
                                    recorded=False)
        late = shipment.last_event_at is not None and at < shipment.last_event_at
        repository.insert_tracking_event(uow.connection, {
            "id": new_id(), "tenant_id": order.tenant_id, "shipment_id": shipment.id, "state": cmd.state,
            "carrier_code": code, "at": at, "description": cmd.description[:200], "location": cmd.location[:120],
            "source": cmd.source, "late": late, "recorded_at": clock.now()})
        target = None if late else rules.tracking_target(shipment.state, cmd.state)
        values: dict[str, Any] = {} if late else {"tracking_state": cmd.state, "last_event_at": at}
        if target is None:
            if values:
                repository.update_shipment(uow.connection, shipment.id, **values)
        else:
            if target == "delivered":
                values["delivered_at"] = at
            step(uow, cmd.actor, order, shipment, target, None, reason=cmd.description[:200] or None,
                 order_status=_order_target(uow, order, shipment, target), **values)
        uow.commit()
    return TrackingRecorded(id=shipment.id, state=target or shipment.state,
                            tracking_state=shipment.tracking_state if late else cmd.state, recorded=True)


def poll_tracking(cmd: PollTracking, uow_factory: UnitOfWorkFactory) -> ShipmentStep:
    """Make a moving shipment's tracking poll due now (the caller asks the carrier outside this transaction)."""
    with uow_factory() as uow:
        _, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        if shipment.state not in rules.MOVING or not (shipment.carrier and shipment.waybill_number):
            raise NotTrackable(f"a shipment that is {shipment.state} with no carrier waybill is not polled",
                               state=shipment.state)
        repository.poll_now(uow.connection, shipment.tenant_id, shipment.id, clock.now())
        audit.record(uow, cmd.actor, audit.Audited("shipment.poll", "shipment", shipment.id, {}))
        uow.commit()
    return ShipmentStep(id=shipment.id)


def _order_target(uow: UnitOfWork, order: Any, shipment: Any, target: str) -> str | None:
    if target != "delivered":
        return None
    others = repository.order_shipments(uow.connection, order.tenant_id, order.id)
    done = all(s.state in ("delivered", "cancelled") for s in others if s.id != shipment.id)
    return rules.order_status_after("deliver", order.status, all_delivered=done)


def _consume(uow: UnitOfWork, actor: Actor, order: Any, shipment: Any) -> tuple[int, int]:
    """Ship the shipment's lines out of the node's stock: `ship` movements referencing the ORDER (analytics reads
    them so), reservations consumed (one taken in part is held again for its rest). Returns (shipped, left)."""
    c, tenant_id, node = uow.connection, order.tenant_id, shipment.location_id
    lines = [rules.Held(r.line_no, r.sku_id, r.pool, r.quantity) for r in repository.lines_of(c, [shipment.id])]
    held = inventory.active_reservations(c, tenant_id, [order.id])
    by_id = {r.id: r for r in held}
    consumption = rules.consume(
        [rules.Held(r.line_no, r.sku_id, r.pool, r.quantity, r.id) for r in held if r.location_id == node], lines)
    levels = inventory.lock_levels_by_key(c, tenant_id, sorted({(h.sku_id, node, h.pool) for h in lines}, key=str))
    movements = [Movement((h.sku_id, node, h.pool), "ship", movement_delta("ship", h.quantity), actor.name,
                          f"shipment {shipment.id}", str(order.id)) for h in lines]
    remainders = [(Take(levels[(h.sku_id, node, h.pool)].id, h.sku_id, node, h.pool, h.quantity, h.line_no),
                   Holder(order.id, actor.name, by_id[h.id].expires_at)) for h in consumption.remainders]
    inventory.reservations.consume(uow, tenant_id, levels, movements, consumption.closed, remainders)
    shipped = sum(h.quantity for h in lines)
    return shipped, sum(r.quantity for r in held) - shipped


def _at(text: str | None) -> datetime:
    if not text:
        return clock.now()
    try:
        return clock.as_utc(datetime.fromisoformat(text))
    except ValueError as error:
        raise ValidationFailed(f"not an ISO time: {text!r}") from error
