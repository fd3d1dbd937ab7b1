"""Return handlers: create an RMA (received at the regional returns centre unless it names a node), set those
centres, receive it at a node, inspect it (resellable units restocked through the
ledger with a `return` movement; refurbish and scrap recorded without stock)."""

import uuid
from typing import Any

from flexhub import inventory, resellers
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.inventory import Movement, UnknownLocation, ledger, movement_delta
from flexhub.kernel import clock
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.ids import new_id
from flexhub.ordering import UnknownChannel, UnknownOrder
from flexhub.returns import repository, rules
from flexhub.returns.commands import (
    CreateReturn,
    InspectReturn,
    ReceiveReturn,
    ReturnGraded,
    ReturnsCentres,
    ReturnStep,
    SetReturnsCentres,
)
from flexhub.returns.errors import ReturnExists, UnknownReturn
from flexhub.returns.events import ReturnCreated, ReturnInspected


def create_return(cmd: CreateReturn, uow_factory: UnitOfWorkFactory) -> ReturnStep:
    if not cmd.lines or any(n <= 0 for n in cmd.lines.values()):
        raise ValidationFailed("a return names at least one SKU with units expected back")
    tenant_id = cmd.actor.tenant_id
    if cmd.actor.partner_id is not None and (not cmd.order_id or cmd.channel or cmd.returns_centre):
        raise ValidationFailed("a partner opens a return of one of its own orders by the order's id, naming no "
                               "channel or returns centre")
    with uow_factory() as uow:
        c = uow.connection
        order_id = _order_id(uow, tenant_id, cmd.order_id, cmd.actor.partner_id) if cmd.order_id else None
        source = _source(uow, tenant_id, cmd.channel)
        if cmd.external_id and repository.by_external_id(c, tenant_id, source, cmd.external_id):
            raise ReturnExists(f"the return {cmd.external_id} of {source} exists already")
        skus = repository.skus_by_code(c, tenant_id, cmd.lines)
        if missing := sorted(set(cmd.lines) - set(skus)):
            raise ValidationFailed(f"unknown SKUs {missing}", skus=missing)
        row: dict[str, Any] = {"id": new_id(), "tenant_id": tenant_id, "order_id": order_id, "source": source,
               "external_id": cmd.external_id, "reason": cmd.reason, "state": "open",
               "location_id": _node(uow, tenant_id, cmd.returns_centre) if cmd.returns_centre
               else _regional_centre(uow, tenant_id, order_id)}
        repository.insert_return(c, row, [{"id": new_id(), "tenant_id": tenant_id, "return_id": row["id"],
                                           "sku_id": skus[code], "quantity": n} for code, n in cmd.lines.items()])
        uow.record(ReturnCreated(tenant_id=tenant_id, return_id=str(row["id"]),
                                 order_id=str(order_id) if order_id else None, units=sum(cmd.lines.values())))
        audit.record(uow, cmd.actor, audit.Audited("return.create", "return", row["id"], {"lines": cmd.lines}))
        uow.commit()
    return ReturnStep(id=row["id"], state="open")


def set_returns_centres(cmd: SetReturnsCentres, uow_factory: UnitOfWorkFactory) -> ReturnsCentres:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        rows = [{"tenant_id": tenant_id, "region": region.strip(), "location_id": _node(uow, tenant_id, code),
                 "updated_at": clock.now()} for region, code in cmd.centres.items()]
        if any(not row["region"] for row in rows):
            raise ValidationFailed("a returns centre's region is a province, a country or \"*\"")
        repository.replace_returns_centres(uow.connection, tenant_id, rows)
        audit.record(uow, cmd.actor, audit.Audited("returns_centres.set", "tenant", tenant_id,
                                                   {"centres": cmd.centres}))
        uow.commit()
    return ReturnsCentres(centres=dict(cmd.centres))


def receive_return(cmd: ReceiveReturn, uow_factory: UnitOfWorkFactory) -> ReturnStep:
    with uow_factory() as uow:
        rma, lines = _locked(uow, cmd.actor.tenant_id, cmd.return_id)
        rules.check_transition(rma.state, "received")
        location_id = _node(uow, rma.tenant_id, cmd.node) if cmd.node else rma.location_id
        if location_id is None:
            raise ValidationFailed("name the node receiving the return (the RMA has no returns centre)")
        counted = rules.received_quantities({r.sku: r.quantity for r in lines}, cmd.received)
        for r in lines:
            repository.update_line(uow.connection, r.id, received=counted[r.sku])
        repository.update_return(uow.connection, rma.id, state="received", location_id=location_id,
                                 received_at=clock.now())
        _credit_reseller(uow, rma, counted, cmd.actor.name)
        audit.record(uow, cmd.actor, audit.Audited("return.receive", "return", rma.id, {"received": counted}))
        uow.commit()
    return ReturnStep(id=rma.id, state="received", received=counted)


def inspect_return(cmd: InspectReturn, uow_factory: UnitOfWorkFactory) -> ReturnGraded:
    with uow_factory() as uow:
        rma, lines = _locked(uow, cmd.actor.tenant_id, cmd.return_id)
        rules.check_transition(rma.state, "inspected")
        rules.check_grades({r.sku: r.received for r in lines}, cmd.grades)
        totals = dict.fromkeys(rules.GRADES, 0)
        for r in lines:
            graded = {grade: cmd.grades.get(r.sku, {}).get(grade, 0) for grade in rules.GRADES}
            repository.update_line(uow.connection, r.id, **graded)
            totals = {grade: totals[grade] + graded[grade] for grade in rules.GRADES}
        _restock(uow, cmd.actor.name, rma, [(r.sku_id, cmd.grades.get(r.sku, {}).get(rules.RESTOCKED, 0))
                                            for r in lines])
        repository.update_return(uow.connection, rma.id, state="inspected", inspected_at=clock.now())
        uow.record(ReturnInspected(tenant_id=rma.tenant_id, return_id=str(rma.id), restocked=totals["resellable"],
                                   refurbish=totals["refurbish"], scrapped=totals["scrap"]))
        audit.record(uow, cmd.actor, audit.Audited("return.inspect", "return", rma.id, {"grades": cmd.grades}))
        uow.commit()
    return ReturnGraded(id=rma.id, state="inspected", **totals)


def _credit_reseller(uow: UnitOfWork, rma: Any, counted: dict[str, int], by: str) -> None:
    """A reseller's order coming back is credited to its account for the units received (resellers decides)."""
    order = repository.order_returned(uow.connection, rma.tenant_id, rma.order_id) if rma.order_id else None
    if order is None or order.partner_id is None:
        return
    sold = repository.units_sold(uow.connection, rma.tenant_id, order.id)
    resellers.credit_returned(uow, rma.tenant_id, order, counted, sold, f"return {rma.id}", by)


def _restock(uow: UnitOfWork, actor: str, rma: Any, units: list[tuple[uuid.UUID, int]]) -> None:
    reference = str(rma.order_id or rma.id)  # analytics reads stock movements by order id, like ship movements
    movements = [Movement((sku_id, rma.location_id, rules.RESTOCK_POOL), "return", movement_delta("return", n),
                          actor, f"return {rma.id} resellable", reference) for sku_id, n in units if n > 0]
    if movements:
        ledger.post(uow, rma.tenant_id, movements, cause="return")


def _locked(uow: UnitOfWork, tenant_id: uuid.UUID, text: str) -> tuple[Any, list[Any]]:
    try:
        rma = repository.lock_return(uow.connection, tenant_id, uuid.UUID(str(text)))
    except ValueError:
        rma = None
    if rma is None:
        raise UnknownReturn(f"no return {text}")
    return rma, repository.lines(uow.connection, rma.id)


def _order_id(uow: UnitOfWork, tenant_id: uuid.UUID, text: str, partner_id: uuid.UUID | None = None) -> uuid.UUID:
    """The order's id; with `partner_id` only that partner's order (another's is unknown)."""
    try:
        found = repository.order_returned(uow.connection, tenant_id, uuid.UUID(text))
    except ValueError:
        found = None
    if found is None or (partner_id is not None and found.partner_id != partner_id):
        raise UnknownOrder(f"no order {text}")
    return found.id


def _regional_centre(uow: UnitOfWork, tenant_id: uuid.UUID, order_id: uuid.UUID | None) -> uuid.UUID | None:
    """The returns centre for the order's buyer, when the tenant set regional centres."""
    centres = repository.returns_centres(uow.connection, tenant_id)
    if not centres:
        return None
    order = repository.order_returned(uow.connection, tenant_id, order_id) if order_id else None
    address = order.shipping_address if order else None
    return rules.returns_centre(centres, address)


def _source(uow: UnitOfWork, tenant_id: uuid.UUID, channel: str | None) -> str:
    if channel is None:
        return "manual"
    if not repository.channel_exists(uow.connection, tenant_id, channel):
        raise UnknownChannel(f"no channel {channel}")
    return channel


def _node(uow: UnitOfWork, tenant_id: uuid.UUID, code: str) -> uuid.UUID:
    location = inventory.location_by_code(uow.connection, tenant_id, code)
    if location is None:
        raise UnknownLocation(f"no location {code}")
    return location.id
