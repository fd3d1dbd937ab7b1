"""Goods coming in: the supplier announces a shipment (ASN); the node receives it, which posts `receive`
movements to the ledger, moves the order's received quantities and state, and stores what differed (short,
over, a SKU nobody announced) as discrepancies for the exceptions queue, all in one transaction."""

from typing import Any

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.inventory import Delta, Movement, ledger
from flexhub.kernel.ids import new_id
from flexhub.purchasing import repository, rules
from flexhub.purchasing.commands import AnnounceShipment, ReceiveAsn, ResolveDiscrepancy
from flexhub.purchasing.errors import AlreadyReceived, AlreadyResolved, InvalidTransition
from flexhub.purchasing.events import AsnAnnounced, DiscrepancyRaised, GoodsReceived, PurchaseOrderStateChanged
from flexhub.purchasing.handlers import skus_named, supplier_scope
from flexhub.purchasing.presale import back_presale
from flexhub.purchasing.queries import asn_view
from flexhub.purchasing.schemas import AsnOut, FoundOut, ReceiptOut, ResolvedOut

POOL = "spot"  # supplier deliveries are spot stock; presale is sold against them (purchasing/presale.py)


def announce_shipment(cmd: AnnounceShipment, uow_factory: UnitOfWorkFactory) -> AsnOut:
    with uow_factory() as uow:
        c, tenant_id = uow.connection, cmd.actor.tenant_id
        scope = supplier_scope(c, cmd.actor)
        order = repository.order(c, tenant_id, cmd.order_id, partner_id=scope, lock=True)
        if order.state not in rules.RECEIVING:
            raise InvalidTransition(f"a purchase order that is {order.state} takes no shipment notices; "
                                    "confirm it first", state=order.state)
        lines = repository.lines(c, [order.id])
        rules.check_announce([rules.Line(x.sku, x.quantity, x.received, x.announced) for x in lines], cmd.lines)
        asn_id = new_id()
        by_sku = {x.sku: x for x in lines}
        repository.insert_asn(c, {"id": asn_id, "tenant_id": tenant_id, "order_id": order.id,
                                  "partner_id": order.partner_id, "expected_on": cmd.expected_on,
                                  "carrier": cmd.carrier, "tracking_number": cmd.tracking_number,
                                  "state": "announced"},
                              [{"id": new_id(), "asn_id": asn_id, "sku_id": by_sku[sku].sku_id, "quantity": units}
                               for sku, units in sorted(cmd.lines.items())])
        for sku, units in cmd.lines.items():
            repository.update_line(c, by_sku[sku].id, announced=by_sku[sku].announced + units)
        repository.update_order(c, order)
        shipped = [{"sku": sku, "quantity": units} for sku, units in sorted(cmd.lines.items())]
        audit.record(uow, cmd.actor, audit.Audited("asn.announce", "asn", asn_id, {
            "order_id": str(order.id), "lines": shipped, "tracking_number": cmd.tracking_number}))
        uow.record(AsnAnnounced(tenant_id=tenant_id, asn_id=str(asn_id), order_id=str(order.id),
                                partner_id=str(order.partner_id), expected_on=cmd.expected_on.isoformat(),
                                carrier=cmd.carrier, tracking_number=cmd.tracking_number, lines=shipped))
        view = AsnOut(**asn_view(c, tenant_id, str(asn_id)))
        uow.commit()
    return view


def receive_asn(cmd: ReceiveAsn, uow_factory: UnitOfWorkFactory) -> ReceiptOut:
    """Receive a notice once: a second receipt is refused (purchasing.asn_already_received) and changes nothing."""
    with uow_factory() as uow:
        c, tenant_id = uow.connection, cmd.actor.tenant_id
        # Locked: a concurrent receipt of the same notice waits, then finds it received.
        notice = repository.asn(c, tenant_id, cmd.asn_id, lock=True)
        if notice.state != "announced":
            raise AlreadyReceived(f"shipment notice {cmd.asn_id} was received already", asn_id=cmd.asn_id)
        order = repository.order(c, tenant_id, notice.order_id, lock=True)
        if order.state not in rules.RECEIVING:
            raise InvalidTransition(f"a purchase order that is {order.state} receives nothing", state=order.state)
        announced = {x.sku: x.quantity for x in repository.asn_lines(c, [notice.id])}
        counted = dict(announced if cmd.counted is None else cmd.counted)
        rules.check_counts(counted)
        skus = skus_named(c, tenant_id, list(counted | announced))
        reference = f"po:{order.id}/asn:{notice.id}"
        movements = [Movement((skus[sku].id, order.location_id, POOL), "receive", Delta(on_hand=units),
                              cmd.actor.name, cmd.reason, reference)
                     for sku, units in sorted(counted.items()) if units > 0]
        if movements:
            ledger.post(uow, tenant_id, movements, cause="receive")
        state = _book_receipt(c, order, announced, counted)
        back_presale(uow, repository.order(c, tenant_id, order.id), cmd.actor.name, arrived=True)
        repository.mark_received(c, notice, {skus[s].id: u for s, u in counted.items() if s in announced},
                                 cmd.actor.name)
        found = _raise_discrepancies(uow, order, notice, skus, rules.compare(announced, counted))
        received = [{"sku": s, "quantity": u} for s, u in sorted(counted.items())]
        audit.record(uow, cmd.actor, audit.Audited("asn.receive", "asn", notice.id, {
            "order_id": str(order.id), "lines": received, "discrepancies": len(found)}))
        location = repository.location_code(c, tenant_id, order.location_id)
        uow.record(GoodsReceived(tenant_id=tenant_id, asn_id=str(notice.id), order_id=str(order.id),
                                 partner_id=str(order.partner_id), location=location, lines=received,
                                 discrepancies=len(found)))
        if state != order.state:
            uow.record(PurchaseOrderStateChanged(tenant_id=tenant_id, order_id=str(order.id),
                                                 partner_id=str(order.partner_id), action="receive", state=state))
        view = ReceiptOut(**asn_view(c, tenant_id, cmd.asn_id), order_state=state, discrepancies=found)
        uow.commit()
    return view


def _book_receipt(c: Connection, order: Any, announced: dict[str, int], counted: dict[str, int]) -> str:
    """Move each order line: off the way by what was announced, received by what was counted."""
    lines = repository.lines(c, [order.id])
    after = []
    for line in lines:
        received = line.received + counted.get(line.sku, 0)
        announced_left = line.announced - announced.get(line.sku, 0)
        if line.sku in announced or line.sku in counted:
            repository.update_line(c, line.id, received=received, announced=announced_left)
        after.append(rules.Line(line.sku, line.quantity, received, announced_left))
    state = rules.state_after_receipt(after)
    repository.update_order(c, order, state=state)
    return state


def _raise_discrepancies(uow: UnitOfWork, order: Any, notice: Any, skus: dict[str, Any],
                         found: list[rules.Found]) -> list[FoundOut]:
    rows = [{"id": new_id(), "tenant_id": order.tenant_id, "order_id": order.id, "asn_id": notice.id,
             "partner_id": order.partner_id, "sku_id": skus[f.sku].id, "kind": f.kind, "expected": f.expected,
             "received": f.received, "state": "open"} for f in found]
    repository.insert_discrepancies(uow.connection, rows)
    for row, f in zip(rows, found, strict=True):
        uow.record(DiscrepancyRaised(tenant_id=order.tenant_id, discrepancy_id=str(row["id"]),
                                     asn_id=str(notice.id), order_id=str(order.id), partner_id=str(order.partner_id),
                                     sku=f.sku, kind=f.kind, expected=f.expected, received=f.received))
    return [FoundOut(id=str(row["id"]), sku=f.sku, kind=f.kind, expected=f.expected, received=f.received)
            for row, f in zip(rows, found, strict=True)]


def resolve_discrepancy(cmd: ResolveDiscrepancy, uow_factory: UnitOfWorkFactory) -> ResolvedOut:
    """short: expect the rest, or close the order; over or unexpected: keep the units, or send them back
    (an adjustment out of the node, and off the order's received quantity)."""
    with uow_factory() as uow:
        c, tenant_id = uow.connection, cmd.actor.tenant_id
        found = repository.discrepancy(c, tenant_id, cmd.discrepancy_id, lock=True)
        if found.state != "open":
            raise AlreadyResolved(f"discrepancy {cmd.discrepancy_id} was resolved already ({found.resolution})")
        rules.check_resolution(found.kind, cmd.resolution)
        order = repository.order(c, tenant_id, found.order_id, lock=True)
        if cmd.resolution == "close_order":
            state = rules.after(order.state, "close")
            repository.update_order(c, order, state=state)
            uow.record(PurchaseOrderStateChanged(tenant_id=tenant_id, order_id=str(order.id),
                                                 partner_id=str(order.partner_id), action="close", state=state))
        if cmd.resolution == "return_to_supplier":
            _send_back(uow, cmd, order, found)
        back_presale(uow, repository.order(c, tenant_id, order.id), cmd.actor.name)
        repository.resolve(c, found.id, cmd.resolution, cmd.actor.name)
        audit.record(uow, cmd.actor, audit.Audited("discrepancy.resolve", "discrepancy", found.id,
                                                   {"kind": found.kind, "resolution": cmd.resolution}))
        uow.commit()
    return ResolvedOut(id=str(found.id), kind=found.kind, state="resolved", resolution=cmd.resolution)


def _send_back(uow: UnitOfWork, cmd: ResolveDiscrepancy, order: Any, found: Any) -> None:
    excess = found.received - found.expected
    reference = f"po:{order.id}/asn:{found.asn_id}"
    ledger.post(uow, order.tenant_id, [Movement((found.sku_id, order.location_id, POOL), "adjust",
                                                Delta(on_hand=-excess), cmd.actor.name, "returned to supplier",
                                                reference)], cause="adjust")
    line = next((x for x in repository.lines(uow.connection, [order.id]) if x.sku_id == found.sku_id), None)
    if line is not None:
        repository.update_line(uow.connection, line.id, received=line.received - excess)
