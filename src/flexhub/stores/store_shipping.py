"""Ship-from-store tasks on the staff page: the orders routing sent to ship from this store (not pick-ups), and one
step that takes such an order from wherever it stands (routed, being picked, packed) to handed to the courier under
the waybill the staff types. An order not waiting to ship from this store is refused `stores.not_a_task` with nothing
changed."""

import uuid
from collections.abc import Callable
from typing import Any

from flexhub import fulfillment, ordering
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.stores import queries
from flexhub.stores.commands import ShipFromStore
from flexhub.stores.errors import NotATask
from flexhub.stores.schemas import ShippedOut


def tasks(uow: UnitOfWork, tenant_id: uuid.UUID, location: str) -> list[dict[str, Any]]:
    place = queries.store(uow, tenant_id, location)
    return ordering.orders_to_ship_from(uow.connection, tenant_id, place.id)


def ship_from_store(cmd: ShipFromStore, uow_factory: UnitOfWorkFactory,
                    dispatch: Callable[[Any], Any]) -> ShippedOut:
    number = cmd.waybill_number.strip()
    if not number:
        raise NotATask("type the parcel's waybill number")
    with uow_factory(write=False) as uow:
        task = next((t for t in tasks(uow, cmd.actor.tenant_id, cmd.location) if t["order_id"] == cmd.order_id),
                    None)
        if task is None:
            raise NotATask("this order is not waiting to ship from this store", order_id=cmd.order_id)
        parcels = [fulfillment.shipment_view(uow.connection, cmd.actor.tenant_id, uuid.UUID(shipment_id))
                   for shipment_id in fulfillment.open_shipment_ids(uow.connection, cmd.actor.tenant_id,
                                                                   uuid.UUID(cmd.order_id))]
    parcel = next((p for p in parcels if p["node"] == cmd.location), None)
    shipment_id, state = (parcel["id"], parcel["state"]) if parcel else (None, None)
    if shipment_id is None:
        made = dispatch(fulfillment.CreateShipment(actor=cmd.actor, order_id=cmd.order_id, node=cmd.location))
        shipment_id, state = str(made.id), made.state
    if state == "created":
        dispatch(fulfillment.ConfirmPick(actor=cmd.actor, shipment_id=shipment_id))
        state = "picked"
    if state == "picked":
        dispatch(fulfillment.PackShipment(actor=cmd.actor, shipment_id=shipment_id))
    shipped = dispatch(fulfillment.ShipShipment(actor=cmd.actor, shipment_id=shipment_id, waybill_number=number))
    return ShippedOut(order_id=cmd.order_id, shipment_id=shipment_id, order_status=shipped.order_status)
