"""Orders held before they took stock (cleaning rules, a reseller's credit): released by a person, when they
reserve (or wait for stock); their address corrected first when it was the problem. Each step audited."""

import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from flexhub import cleaning, resellers
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.inventory import Holder, reservations
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository, updates
from flexhub.ordering.backorders import needs_of_orders
from flexhub.ordering.commands import EditShippingAddress, HoldOrder, OrderReleased, ReleaseOrder
from flexhub.ordering.errors import HasShipments, InvalidAddress, InvalidTransition, NotOnHold, UnknownOrder
from flexhub.ordering.events import OrderUpdated
from flexhub.ordering.handlers import order_id_of
from flexhub.ordering.queries import order_lines
from flexhub.ordering.schemas import Address
from flexhub.ordering.status import advance_order

ADDRESS_OPEN = updates.LINES_OPEN | {"on_hold"}  # an address may change until the order is routed
OpenParcels = Callable[[Connection, uuid.UUID, uuid.UUID], int]
HOLDABLE = frozenset({"received", "reserved", "awaiting_stock", "routed"})  # before a node starts on it


def hold_order(cmd: HoldOrder, uow_factory: UnitOfWorkFactory, open_parcels: OpenParcels) -> OrderReleased:
    """The order waits on_hold holding no stock (what it held goes back to the pool), so releasing it reserves
    afresh. Refused (409, nothing written) once it is being picked, or while a parcel of it is open at a node
    (`open_parcels`, fulfillment's count, handed in by the composition root: ordering reads no shipment table)."""
    with uow_factory() as uow:
        order = _own_order(uow, cmd.actor, cmd.order_id)
        if order.status not in HOLDABLE:
            raise InvalidTransition(f"an order that is {order.status} cannot be held", status=order.status)
        if open_parcels(uow.connection, order.tenant_id, order.id):
            raise HasShipments(f"order {order.id} has a parcel at a node: cancel it first", status=order.status)
        reservations.release(uow, order.tenant_id, [order.id], actor=cmd.actor.name, reason=f"held: {cmd.reason}")
        state = advance_order(uow, order, "on_hold", cmd.reason)
        uow.record(OrderUpdated(tenant_id=order.tenant_id, order_id=str(order.id), status="on_hold",
                                version=state.version))
        audit.record(uow, cmd.actor, audit.Audited("order.hold", "order", order.id,
                                                   {"from": order.status, "reason": cmd.reason}))
        uow.commit()
    return OrderReleased(str(order.id), "on_hold")


def release_order(cmd: ReleaseOrder, uow_factory: UnitOfWorkFactory) -> OrderReleased:
    with uow_factory() as uow:
        order = _own_order(uow, cmd.actor, cmd.order_id)
        if order.status != "on_hold":
            raise NotOnHold(f"order {order.id} is {order.status}, not on hold", status=order.status)
        if cmd.if_credit_covers and not resellers.covers(uow.connection, order.tenant_id, order, _lines(uow, order)):
            return OrderReleased(str(order.id), order.status)  # still short: it waits, nothing written
        needs = needs_of_orders(uow.connection, order.tenant_id, [order])[order.id]
        planned = reservations.plan(uow, order.tenant_id, [needs])
        status = "awaiting_stock" if planned.takes[0] is None else "reserved"
        reservations.hold(uow, order.tenant_id, planned, [Holder(order.id, cmd.actor.name) if planned.takes[0]
                                                          is not None else None])
        state = advance_order(uow, order, status, None if status == "reserved" else "not enough stock when released")
        cleaning.close_holds(uow.connection, order.tenant_id, order.id, by=cmd.actor.name, outcome="released",
                             at=clock.now())
        resellers.charge_released(uow.connection, order.tenant_id, order, _lines(uow, order), cmd.actor.name)
        uow.record(OrderUpdated(tenant_id=order.tenant_id, order_id=str(order.id), status=status,
                                version=state.version))
        audit.record(uow, cmd.actor, audit.Audited("order.release", "order", order.id,
                                                   {"status": status, "note": cmd.note}))
        uow.commit()
    return OrderReleased(str(order.id), status)


def edit_shipping_address(cmd: EditShippingAddress, uow_factory: UnitOfWorkFactory) -> OrderReleased:
    """Refused whole (`cleaning.address_refused`, nothing written) when the tenant's address rules still find
    something wrong; otherwise stored as the rules normalise it. The order stays where it is (a held one is then
    released by a person)."""
    with uow_factory() as uow:
        order = _own_order(uow, cmd.actor, cmd.order_id)
        if order.status not in ADDRESS_OPEN:
            raise InvalidTransition(f"an order that is {order.status} keeps its address", status=order.status)
        channel = repository.channels_by_id(uow.connection, order.tenant_id, {order.channel_id})[order.channel_id]
        address, problems = cleaning.check_address(uow.connection, order.tenant_id, channel.code, order.buyer,
                                                   _address(cmd.address))
        if problems:
            raise cleaning.AddressRefused("the address rules still find this address wrong: "
                                          + "; ".join(p["reason"] for p in problems), findings=problems)
        advance_order(uow, order, order.status, order.status_reason, changes={"shipping_address": address})
        audit.record(uow, cmd.actor, audit.Audited("order.edit_address", "order", order.id,
                                                   {"from": order.shipping_address, "to": address}))
        uow.commit()
    return OrderReleased(str(order.id), order.status)


def _address(raw: dict[str, Any]) -> dict[str, Any]:
    """The address as an order stores it (read after the order is found: another's order is 404 first)."""
    try:
        return Address.model_validate(raw).model_dump(mode="json", exclude_none=True)
    except ValidationError as error:
        raise InvalidAddress(f"not an address: {error.errors()[0]['msg']}", problems=[
            {"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in error.errors()]) from None


def _own_order(uow: UnitOfWork, actor: Actor, text: str) -> Any:
    order = updates.locked_order(uow, actor.tenant_id, order_id_of(text))
    if actor.partner_id is not None and order.partner_id != actor.partner_id:
        raise UnknownOrder(f"no order {text}")
    return order


def _lines(uow: UnitOfWork, order: Any) -> list[tuple[str, int, int, int]]:
    rows = order_lines(uow.connection, order.tenant_id, order.id)
    return [(row.sku_code, row.quantity, row.unit_price, row.discount) for row in rows]
