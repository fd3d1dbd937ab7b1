"""Purchasing handlers on the brand's side and the supplier's: terms, factories, orders by hand or from
replenishment's suggestions, and each step of an order's state machine."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog, inventory
from flexhub.catalog import UnknownSku
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.inventory import UnknownLocation
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.purchasing import repository, rules
from flexhub.purchasing.commands import (
    ActOnOrder,
    AmendPurchaseOrder,
    CreatePurchaseOrder,
    ProposeChange,
    SetFactory,
    SetSupplierSku,
)
from flexhub.purchasing.errors import InvalidLines, InvalidTransition, NotASupplier
from flexhub.purchasing.events import (
    PurchaseOrderAmended,
    PurchaseOrderChanged,
    PurchaseOrderSent,
    PurchaseOrderStateChanged,
)
from flexhub.purchasing.presale import back_presale
from flexhub.purchasing.queries import order_view
from flexhub.purchasing.schemas import FactoryOut, OrderOut, SupplierSkuOut

SUPPLIER_ACTIONS = frozenset({"confirm"})


def set_supplier_sku(cmd: SetSupplierSku, uow_factory: UnitOfWorkFactory) -> SupplierSkuOut:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        partner = repository.supplier(uow.connection, tenant_id, cmd.supplier)
        sku = skus_named(uow.connection, tenant_id, [cmd.sku])[cmd.sku]
        values = {"id": new_id(), "tenant_id": tenant_id, "sku_id": sku.id, "partner_id": partner.id,
                  "lead_time_days": cmd.lead_time_days, "moq": cmd.moq, "pack": cmd.pack,
                  "unit_cost": cmd.unit_cost, "currency": cmd.currency, "priority": cmd.priority}
        repository.save_terms(uow.connection, values)
        detail = {k: getattr(cmd, k) for k in ("supplier", "sku", "lead_time_days", "moq", "pack", "unit_cost",
                                              "currency", "priority")}
        audit.record(uow, cmd.actor, audit.Audited("supplier_sku.set", "sku", sku.id, detail))
        uow.commit()
    return SupplierSkuOut(**detail)


def set_factory(cmd: SetFactory, uow_factory: UnitOfWorkFactory) -> FactoryOut:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        partner = repository.supplier(uow.connection, tenant_id, cmd.supplier)
        repository.save_factory(uow.connection, tenant_id, partner.id, cmd.daily_capacity)
        out = FactoryOut(supplier=cmd.supplier, daily_capacity=cmd.daily_capacity)
        audit.record(uow, cmd.actor, audit.Audited("factory.set", "partner", partner.id, out.model_dump()))
        uow.commit()
    return out


def create_purchase_order(cmd: CreatePurchaseOrder, uow_factory: UnitOfWorkFactory) -> OrderOut:
    with uow_factory() as uow:
        order_id = place_order(uow, cmd)
        view = OrderOut(**order_view(uow.connection, cmd.actor.tenant_id, order_id))  # read in the same transaction
        uow.commit()
    return view


def place_order(uow: UnitOfWork, cmd: CreatePurchaseOrder) -> uuid.UUID:
    """A draft order in `uow`: prices and date from the supplier's terms where the command leaves them out."""
    if cmd.kind not in rules.KINDS:
        raise InvalidLines(f"kind must be one of {', '.join(rules.KINDS)}", kind=cmd.kind)
    rules.check_lines(_quantities(cmd))
    c, tenant_id = uow.connection, cmd.actor.tenant_id
    partner = repository.supplier(c, tenant_id, cmd.supplier)
    place = inventory.location_by_code(c, tenant_id, cmd.location)
    if place is None:
        raise UnknownLocation(f"unknown location {cmd.location}", location=cmd.location)
    skus = skus_named(c, tenant_id, [line.sku for line in cmd.lines])
    offered = {t.sku_id: t for t in repository.terms(c, tenant_id, [s.id for s in skus.values()])
               if t.partner_id == partner.id}
    currency = cmd.currency or next((offered[s.id].currency for s in skus.values() if s.id in offered), None)
    if currency is None:
        raise InvalidLines("name the currency: the supplier has no terms for these SKUs")
    today = clock.now().date()
    lead = max((offered[s.id].lead_time_days for s in skus.values() if s.id in offered), default=0)
    expected_on = cmd.expected_on or today + timedelta(days=lead)
    rules.check_expected_on(expected_on, today)
    order_id = new_id()
    lines = [_line(order_id, n, skus[spec.sku], spec, offered, currency) for n, spec in enumerate(cmd.lines, 1)]
    if cmd.kind == "production":
        _check_factory(c, tenant_id, partner.id, expected_on, sum(line["quantity"] for line in lines))
    repository.insert_order(c, {"id": order_id, "tenant_id": tenant_id, "partner_id": partner.id,
                                "kind": cmd.kind, "location_id": place.id, "currency": currency,
                                "expected_on": expected_on, "state": "draft", "reference": cmd.reference}, lines)
    audit.record(uow, cmd.actor, audit.Audited("purchase_order.create", "purchase_order", order_id, {
        "supplier": cmd.supplier, "kind": cmd.kind, "location": cmd.location,
        "lines": [{"sku": s.sku, "quantity": s.quantity} for s in cmd.lines]}))
    return order_id


def act_on_order(cmd: ActOnOrder, uow_factory: UnitOfWorkFactory) -> OrderOut:
    """One step of the brand (send, accept or reject a change, cancel, close) or the supplier (confirm)."""
    with uow_factory() as uow:
        order_id, scope = act_in(uow, cmd)
        view = OrderOut(**order_view(uow.connection, cmd.actor.tenant_id, order_id, partner_id=scope))
        uow.commit()
    return view


def act_in(uow: UnitOfWork, cmd: ActOnOrder) -> tuple[uuid.UUID, uuid.UUID | None]:
    """The step in `uow`; returns the order id and the supplier scope it was read in."""
    if cmd.action not in rules.ACTIONS or cmd.action == "propose_change":
        raise InvalidLines(f"unknown action {cmd.action}", action=cmd.action)
    c, tenant_id = uow.connection, cmd.actor.tenant_id
    scope = supplier_scope(c, cmd.actor) if cmd.action in SUPPLIER_ACTIONS else None
    if scope is None and cmd.actor.partner_id is not None:
        raise NotASupplier("only the brand does this to a purchase order")
    row = repository.order(c, tenant_id, cmd.order_id, partner_id=scope, lock=True)
    state = rules.after(row.state, cmd.action)
    lines = repository.lines(c, [row.id])
    changes: dict[str, Any] = {"state": state}
    if cmd.action == "cancel" and any(line.announced for line in lines):
        raise InvalidTransition("goods are on their way for this order: receive them, then close it",
                                state=row.state)
    if cmd.action in ("accept_change", "reject_change"):
        changes.update(_settle_change(c, row, lines, accept=cmd.action == "accept_change"))
    repository.update_order(c, row, **changes)
    back_presale(uow, repository.order(c, tenant_id, row.id), cmd.actor.name)
    audit.record(uow, cmd.actor, audit.Audited(f"purchase_order.{cmd.action}", "purchase_order", row.id,
                                               {"from": row.state, "to": state}))
    uow.record(_event(c, row, cmd.action, state))
    return row.id, scope


def propose_change(cmd: ProposeChange, uow_factory: UnitOfWorkFactory) -> OrderOut:
    """The supplier offers other quantities and/or another date for an order it was sent."""
    with uow_factory() as uow:
        c, tenant_id = uow.connection, cmd.actor.tenant_id
        scope = supplier_scope(c, cmd.actor)
        row = repository.order(c, tenant_id, cmd.order_id, partner_id=scope, lock=True)
        state = rules.after(row.state, "propose_change")
        lines = repository.lines(c, [row.id])
        rules.check_change([rules.Line(line.sku, line.quantity) for line in lines], cmd.quantities)
        changed = {sku: q for sku, q in cmd.quantities.items()
                   if q != next(line.quantity for line in lines if line.sku == sku)}
        new_date = cmd.expected_on if cmd.expected_on not in (None, row.expected_on) else None
        if new_date is not None:
            rules.check_expected_on(new_date, clock.now().date())
        if not changed and new_date is None:
            raise InvalidLines("a change names another quantity or another date; to take the order as sent, "
                               "confirm it")
        for line in lines:
            if line.sku in changed:
                repository.update_line(c, line.id, proposed_quantity=changed[line.sku])
        repository.update_order(c, row, state=state, proposed_on=new_date)
        expected_on = new_date.isoformat() if new_date else None
        detail = {"quantities": changed, "expected_on": expected_on}
        audit.record(uow, cmd.actor, audit.Audited("purchase_order.propose_change", "purchase_order", row.id, detail))
        uow.record(PurchaseOrderChanged(tenant_id=tenant_id, order_id=str(row.id), partner_id=str(row.partner_id),
                                        proposed_on=expected_on,
                                        lines=[{"sku": s, "quantity": q} for s, q in sorted(changed.items())]))
        view = OrderOut(**order_view(c, tenant_id, row.id, partner_id=scope))
        uow.commit()
    return view


def amend_purchase_order(cmd: AmendPurchaseOrder, uow_factory: UnitOfWorkFactory) -> OrderOut:
    """The brand's own change of quantities and/or date: not below what came in or is on its way, the presale it
    backs following. Asking for what the order already says changes nothing (no audit, no event)."""
    if cmd.actor.partner_id is not None:
        raise NotASupplier("only the brand does this to a purchase order")
    with uow_factory() as uow:
        c, tenant_id = uow.connection, cmd.actor.tenant_id
        row = repository.order(c, tenant_id, cmd.order_id, lock=True)
        if row.state not in rules.AMENDABLE:
            raise InvalidTransition(f"a purchase order that is {row.state} cannot be amended", state=row.state,
                                    action="amend")
        lines = repository.lines(c, [row.id])
        rules.check_amend([rules.Line(x.sku, x.quantity, x.received, x.announced) for x in lines], cmd.quantities)
        changed = {x.sku: cmd.quantities[x.sku] for x in lines
                   if x.sku in cmd.quantities and cmd.quantities[x.sku] != x.quantity}
        new_date = cmd.expected_on if cmd.expected_on not in (None, row.expected_on) else None
        if new_date is not None:
            rules.check_expected_on(new_date, clock.now().date())
        if changed or new_date is not None:
            for line in lines:
                if line.sku in changed:
                    repository.update_line(c, line.id, quantity=changed[line.sku])
            repository.update_order(c, row, **({"expected_on": new_date} if new_date else {}))
            back_presale(uow, repository.order(c, tenant_id, row.id), cmd.actor.name)
            expected_on = (new_date or row.expected_on).isoformat()
            audit.record(uow, cmd.actor, audit.Audited("purchase_order.amend", "purchase_order", row.id, {
                "quantities": changed, "expected_on": new_date.isoformat() if new_date else None}))
            uow.record(PurchaseOrderAmended(tenant_id=tenant_id, order_id=str(row.id),
                                            partner_id=str(row.partner_id), expected_on=expected_on,
                                            lines=[{"sku": s, "quantity": q} for s, q in sorted(changed.items())]))
        view = OrderOut(**order_view(c, tenant_id, row.id))
        uow.commit()
    return view


def _settle_change(c: Connection, row: Any, lines: list[Any], *, accept: bool) -> dict[str, Any]:
    """Accepting takes the supplier's quantities and date; rejecting drops them. Either way none stay proposed."""
    for line in lines:
        if line.proposed_quantity is not None:
            values = {"proposed_quantity": None, **({"quantity": line.proposed_quantity} if accept else {})}
            repository.update_line(c, line.id, **values)
    if accept and row.kind == "production":
        wanted = sum(line.proposed_quantity or line.quantity for line in lines)
        _check_factory(c, row.tenant_id, row.partner_id, row.proposed_on or row.expected_on, wanted,
                       less=sum(line.quantity for line in lines))
    changes: dict[str, Any] = {"proposed_on": None}
    if accept and row.proposed_on is not None:
        changes["expected_on"] = row.proposed_on
    return changes


def _event(c: Connection, row: Any, action: str, state: str) -> Any:
    if action != "send":
        return PurchaseOrderStateChanged(tenant_id=row.tenant_id, order_id=str(row.id),
                                         partner_id=str(row.partner_id), action=action, state=state)
    lines = [{"sku": line.sku, "quantity": line.quantity, "unit_cost": line.unit_cost}
             for line in repository.lines(c, [row.id])]
    return PurchaseOrderSent(tenant_id=row.tenant_id, order_id=str(row.id), partner_id=str(row.partner_id),
                             kind=row.kind, location=repository.location_code(c, row.tenant_id, row.location_id),
                             expected_on=row.expected_on.isoformat(), lines=lines)


def supplier_scope(c: Connection, actor: Actor) -> uuid.UUID:
    """The partner id a supplier's key acts for; any other key may not answer for a supplier."""
    if actor.partner_id is None or repository.partner_kind(c, actor.tenant_id, actor.partner_id) != "supplier":
        raise NotASupplier("only a supplier's key answers a purchase order")
    return actor.partner_id


def _check_factory(c: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, due: Any, wanted: int,
                   less: int = 0) -> None:
    capacity = repository.factory_capacity(c, tenant_id, partner_id)
    if capacity is None:
        raise InvalidLines("production orders go to a factory: set the supplier's daily capacity first")
    booked = repository.booked_production(c, tenant_id, partner_id, due) - less
    rules.check_capacity(daily_capacity=capacity, days=(due - clock.now().date()).days, booked=booked, wanted=wanted)


def skus_named(c: Connection, tenant_id: uuid.UUID, codes: list[str]) -> dict[str, Any]:
    found = catalog.skus_by_code(c, tenant_id, codes)
    missing = sorted(set(codes) - set(found))
    if missing:
        raise UnknownSku(f"unknown SKU {missing[0]}", sku=missing[0])
    bundles = sorted(code for code, sku in found.items() if sku.is_bundle)
    if bundles:
        raise InvalidLines("bundles are not bought: order their components", skus=bundles)
    return found


def _quantities(cmd: CreatePurchaseOrder) -> dict[str, int]:
    codes = [line.sku for line in cmd.lines]
    if len(set(codes)) != len(codes):
        raise InvalidLines("one line per SKU")
    return {line.sku: line.quantity for line in cmd.lines}


def _line(order_id: uuid.UUID, line_no: int, sku: Any, spec: Any, offered: dict, currency: str) -> dict[str, Any]:
    terms = offered.get(sku.id)
    if spec.unit_cost is not None:
        unit_cost = spec.unit_cost
    elif terms is not None and terms.currency == currency:
        unit_cost = terms.unit_cost
    else:
        raise InvalidLines(f"no unit cost in {currency} for {sku.code}: give one or set the supplier's terms",
                           sku=sku.code)
    return {"id": new_id(), "order_id": order_id, "line_no": line_no, "sku_id": sku.id, "quantity": spec.quantity,
            "unit_cost": unit_cost, "announced": 0, "received": 0}
