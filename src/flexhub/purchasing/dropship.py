"""A supplier's drop-ship tasks acted on (the API's routes and the supplier page's buttons alike): each step checks
first that the parcel is one its own node ships, then runs fulfillment's own commands as the supplier."""

import uuid
from typing import Any

from flexhub import fulfillment
from flexhub.kernel.messages import Actor
from flexhub.purchasing.handlers import supplier_scope


def task(hub: Any, actor: Actor, shipment_id: uuid.UUID) -> dict[str, Any]:
    """The supplier's own open task; any other shipment is unknown to it (404), as one that does not exist."""
    with hub.uow(write=False) as uow:
        found = fulfillment.dropship_tasks(uow.connection, actor.tenant_id, supplier_scope(uow.connection, actor),
                                           shipment_id=shipment_id)
    if not found:
        raise fulfillment.UnknownShipment(f"no drop-ship task {shipment_id}")
    return found[0]


def acknowledge(hub: Any, actor: Actor, shipment_id: uuid.UUID) -> dict[str, Any]:
    task(hub, actor, shipment_id)
    hub.handle(fulfillment.ConfirmPick(actor=actor, shipment_id=str(shipment_id)))
    return task(hub, actor, shipment_id)


def ship(hub: Any, actor: Actor, shipment_id: uuid.UUID, waybill_number: str) -> dict[str, Any]:
    if task(hub, actor, shipment_id)["state"] == "new":
        hub.handle(fulfillment.ConfirmPick(actor=actor, shipment_id=str(shipment_id)))
    hub.handle(fulfillment.PackShipment(actor=actor, shipment_id=str(shipment_id)))
    shipped = hub.handle(fulfillment.ShipShipment(actor=actor, shipment_id=str(shipment_id),
                                                  waybill_number=waybill_number))
    return {"shipment_id": str(shipment_id), "state": shipped.state, "waybill_number": waybill_number}
