"""Fulfilment handlers before the parcel leaves: create a shipment, pick (short picks re-route), pack, cancel;
carrier accounts. Each opens one unit of work, calls the pure rules, saves and records events."""

import secrets
import uuid
from collections.abc import Callable
from typing import Any

from flexhub import inventory
from flexhub.db import jobs
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.fulfillment import repository, rules
from flexhub.fulfillment.commands import (
    CancelShipment,
    CarrierAccountCreated,
    ConfirmPick,
    CreateCarrierAccount,
    CreateShipment,
    IssueWaybill,
    NewShipment,
    NoticeRetried,
    PackShipment,
    RetryShipmentNotice,
    ShipmentStep,
)
from flexhub.fulfillment.errors import NodeRequired, NothingToShip, NoWaybill, UnknownShipment
from flexhub.fulfillment.events import ShipmentCreated, ShipmentStateChanged
from flexhub.fulfillment.notices import notice_job
from flexhub.fulfillment.waybills import waybill_job
from flexhub.identity import audit
from flexhub.integrations.vault import Vault
from flexhub.inventory import UnknownLocation
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import OrderState, UnknownOrder, advance_order, locked_order
from flexhub.routing import PICKUP_KEY, RerouteOrder
from flexhub.shipping import carrier_for


def create_shipment(cmd: CreateShipment, uow_factory: UnitOfWorkFactory) -> NewShipment:
    if cmd.carrier:
        carrier_for(cmd.carrier)  # an unknown carrier is refused before anything is written
    with uow_factory() as uow:
        order = locked_order(uow, cmd.actor.tenant_id, _id(cmd.order_id, "order", UnknownOrder))
        rules.check_order_shippable(order.status)
        held = inventory.active_reservations(uow.connection, order.tenant_id, [order.id])
        location_id = _node(uow, order.tenant_id, cmd.node, {r.location_id for r in held})
        at_node = [rules.Held(r.line_no, r.sku_id, r.pool, r.quantity, r.id) for r in held
                   if r.location_id == location_id]
        taken = rules.allocate(at_node, repository.committed(uow.connection, order.tenant_id, order.id, location_id),
                               cmd.lines)
        pickup = (order.shipping_address or {}).get(PICKUP_KEY)
        row = {"id": new_id(), "tenant_id": order.tenant_id, "order_id": order.id, "location_id": location_id,
               "state": "created", "carrier": None if pickup else cmd.carrier, "service": cmd.service,
               "waybill_state": "pending" if cmd.carrier and not pickup else "none",
               "pickup_code": rules.pickup_code(secrets.randbelow(1_000_000)) if pickup else None}
        repository.insert_shipment(uow.connection, row, taken)
        if row["waybill_state"] == "pending":  # asked of the carrier outside this transaction, by a worker or the API
            jobs.enqueue(uow.connection, [waybill_job(order.tenant_id, row["id"])])
        uow.record(ShipmentCreated(tenant_id=order.tenant_id, shipment_id=str(row["id"]), order_id=str(order.id),
                                   node=str(location_id), carrier=row["carrier"]))
        audit.record(uow, cmd.actor, audit.Audited("shipment.create", "shipment", row["id"], {
            "order": str(order.id), "units": sum(t.quantity for t in taken)}))
        uow.commit()
    return NewShipment(id=row["id"], state="created", waybill_state=row["waybill_state"],
                       pickup_code=row["pickup_code"])


def confirm_pick(cmd: ConfirmPick, uow_factory: UnitOfWorkFactory, dispatch: Callable[[Any], Any]) -> ShipmentStep:
    """A full pick moves the shipment on; a short pick cancels it and re-routes the order without the node."""
    short = {sku: units for sku, units in cmd.short.items() if units > 0}
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        target = "cancelled" if short else "picked"
        rules.check_transition(shipment.state, target)
        step(uow, cmd.actor, order, shipment, target, None if short else "pick", reason="short pick" if short else None)
        node = repository.location_code(uow.connection, shipment.location_id) if short else None
        uow.commit()
    if node is None:  # nothing short
        return ShipmentStep(id=shipment.id, state="picked")
    outcome = dispatch(RerouteOrder(actor=cmd.actor, order_id=str(order.id), node=node, short_skus=sorted(short)))
    return ShipmentStep(id=shipment.id, state="cancelled", reroute=outcome)


def pack_shipment(cmd: PackShipment, uow_factory: UnitOfWorkFactory) -> ShipmentStep:
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        rules.check_transition(shipment.state, "packed")
        step(uow, cmd.actor, order, shipment, "packed", "pack")
        uow.commit()
    return ShipmentStep(id=shipment.id, state="packed")


def cancel_shipment(cmd: CancelShipment, uow_factory: UnitOfWorkFactory) -> ShipmentStep:
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        rules.check_transition(shipment.state, "cancelled")
        step(uow, cmd.actor, order, shipment, "cancelled", None, reason=cmd.reason[:200])
        uow.commit()
    return ShipmentStep(id=shipment.id, state="cancelled")


def issue_waybill(cmd: IssueWaybill, uow_factory: UnitOfWorkFactory) -> ShipmentStep:
    """Put a failed waybill back in the queue (the caller asks the carrier outside this transaction)."""
    with uow_factory() as uow:
        _, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        if not shipment.carrier or shipment.state not in rules.OPEN:
            raise NoWaybill("only an unshipped shipment with a carrier has a waybill to ask for")
        if shipment.waybill_state != "issued":
            repository.update_shipment(uow.connection, shipment.id, waybill_state="pending", waybill_attempts=0,
                                       waybill_error=None)
            job = waybill_job(cmd.actor.tenant_id, shipment.id)
            jobs.retry_key(uow.connection, job.kind, str(job.key), tenant_id=job.tenant_id, payload=job.payload)
            uow.commit()
    return ShipmentStep(id=shipment.id)


def create_carrier_account(cmd: CreateCarrierAccount, uow_factory: UnitOfWorkFactory,
                           vault: Vault) -> CarrierAccountCreated:
    carrier_for(cmd.carrier)
    with uow_factory() as uow:
        location_id = _node(uow, cmd.actor.tenant_id, cmd.node, set()) if cmd.node else None
        account_id = new_id()
        row = {"id": account_id, "tenant_id": cmd.actor.tenant_id, "carrier": cmd.carrier, "location_id": location_id,
               "credentials": vault.seal(cmd.credentials)}
        repository.insert_carrier_account(uow.connection, row)
        audit.record(uow, cmd.actor, audit.Audited("carrier_account.create", "carrier_account", account_id, {
            "carrier": cmd.carrier, "node": cmd.node, "credential_names": sorted(cmd.credentials)}))
        uow.commit()
    return CarrierAccountCreated(id=account_id, carrier=cmd.carrier, node=cmd.node)


def retry_shipment_notice(cmd: RetryShipmentNotice, uow_factory: UnitOfWorkFactory) -> NoticeRetried:
    with uow_factory() as uow:
        found = repository.update_notice(uow.connection, cmd.actor.tenant_id, _id(cmd.shipment_id, "shipment"),
                                         state="pending", attempts=0, next_attempt_at=clock.now())
        if not found:
            raise UnknownShipment(f"no channel notice for shipment {cmd.shipment_id}")
        job = notice_job(cmd.actor.tenant_id, _id(cmd.shipment_id, "shipment"))
        jobs.retry_key(uow.connection, job.kind, str(job.key), tenant_id=job.tenant_id, payload=job.payload)
        uow.commit()
    return NoticeRetried(shipment_id=cmd.shipment_id, state="pending")


def locked_shipment(uow: UnitOfWork, actor: Actor, text: str) -> tuple[Any, Any]:
    """The shipment's order, then the shipment, each locked (orders before shipments, as everywhere)."""
    shipment_id = _id(text, "shipment")
    found = repository.shipment(uow.connection, actor.tenant_id, shipment_id)
    if found is None:
        raise UnknownShipment(f"no shipment {text}")
    order = locked_order(uow, actor.tenant_id, found.order_id)
    return order, repository.lock_shipment(uow.connection, actor.tenant_id, shipment_id)


def step(uow: UnitOfWork, actor: Actor, order: Any, shipment: Any, state: str, order_step: str | None, *,
         reason: str | None = None, order_status: str | None = None, **values: Any) -> OrderState:
    """Move the shipment (and, where the step says so, its order) and record it; returns the order as it is now."""
    repository.update_shipment(uow.connection, shipment.id, state=state, state_reason=reason,
                               version=shipment.version + 1, **values)
    target = order_status or (rules.order_status_after(order_step, order.status) if order_step else None)
    now = OrderState(order.id, order.tenant_id, order.status, order.version)
    if target and target != order.status:
        now = advance_order(uow, order, target)
    uow.record(ShipmentStateChanged(tenant_id=order.tenant_id, shipment_id=str(shipment.id),
                                    order_id=str(order.id), state=state))
    audit.record(uow, actor, audit.Audited(f"shipment.{state}", "shipment", shipment.id,
                                           {"order": str(order.id), "order_status": target, "reason": reason}))
    return now


def _node(uow: UnitOfWork, tenant_id: uuid.UUID, code: str | None, held_at: set[uuid.UUID]) -> uuid.UUID:
    if code is None:
        if len(held_at) != 1:
            raise (NodeRequired if held_at else NothingToShip)(
                "name the node: the order holds stock at several" if held_at else "the order holds no stock")
        return next(iter(held_at))
    location = inventory.location_by_code(uow.connection, tenant_id, code)
    if location is None:
        raise UnknownLocation(f"no location {code}")
    return location.id


def _id(text: str, what: str, missing: type[Exception] = UnknownShipment) -> uuid.UUID:
    try:
        return uuid.UUID(str(text))
    except ValueError as error:
        raise missing(f"no {what} {text}") from error
