"""Returns on each backend: an RMA received and inspected; resellable units restock the spot pool through a
`return` movement, refurbish and scrap are recorded without stock; refusals change nothing."""

from typing import Any

import pytest

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import UnknownLocation
from flexhub.kernel.messages import Actor
from flexhub.purchasing.commands import SetSupplierSku
from flexhub.returns import queries
from flexhub.returns.commands import CreateReturn, InspectReturn, ReceiveReturn, SetReturnsCentres
from flexhub.returns.errors import InvalidGrading, InvalidReturnTransition
from flexhub.testing.builders import create_partner, create_sku
from flexhub.testing.fulfillment import create_shipment, pick_pack_ship, routed_order
from flexhub.testing.snapshots import ledger, ledger_differences, level, snapshot


def shipped_order(hub: Hub, admin: Actor) -> Any:
    order_id = routed_order(hub, admin, quantity=3)
    pick_pack_ship(hub, admin, create_shipment(hub, admin, order_id))
    return order_id


def returned(hub: Hub, admin: Actor, order_id: Any, units: int = 2) -> str:
    created = hub.handle(CreateReturn(actor=admin, order_id=str(order_id), lines={"TEE-RED-M": units},
                                      channel="web", external_id="RF-1", reason="too small", returns_centre="WH-HZ"))
    hub.handle(ReceiveReturn(actor=admin, return_id=str(created.id)))
    return str(created.id)


def test_a_resellable_return_restocks_the_spot_pool_and_scrap_does_not(hub: Hub, admin: Actor) -> None:
    order_id = shipped_order(hub, admin)
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["on_hand"] == 7
    return_id = returned(hub, admin, order_id)
    graded = hub.handle(InspectReturn(actor=admin, return_id=return_id,
                                      grades={"TEE-RED-M": {"resellable": 1, "scrap": 1}}))
    assert (graded.resellable, graded.scrap, graded.refurbish) == (1, 1, 0)
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["on_hand"] == 8
    assert [(m.kind, m.on_hand_delta, m.reference) for m in ledger(hub)[-1:]] == [("return", 1, str(order_id))]
    assert ledger_differences(hub) == []
    with hub.uow(write=False) as uow:
        assert queries.defect_counts(uow.connection, admin.tenant_id) == [
            {"sku": "TEE-RED-M", "supplier": None, "returned": 2, "refurbish": 0, "scrap": 1}]


def test_scrap_and_refurbish_move_no_stock(hub: Hub, admin: Actor) -> None:
    return_id = returned(hub, admin, shipped_order(hub, admin))
    movements = len(ledger(hub))
    hub.handle(InspectReturn(actor=admin, return_id=return_id, grades={"TEE-RED-M": {"scrap": 1, "refurbish": 1}}))
    assert len(ledger(hub)) == movements and level(hub, admin, "TEE-RED-M", "WH-HZ")["on_hand"] == 7


def test_grades_that_do_not_add_up_and_a_second_inspection_change_nothing(hub: Hub, admin: Actor) -> None:
    return_id = returned(hub, admin, shipped_order(hub, admin))
    before = snapshot(hub)
    with pytest.raises(InvalidGrading):
        hub.handle(InspectReturn(actor=admin, return_id=return_id, grades={"TEE-RED-M": {"resellable": 3}}))
    assert snapshot(hub) == before
    hub.handle(InspectReturn(actor=admin, return_id=return_id, grades={"TEE-RED-M": {"resellable": 2}}))
    after = snapshot(hub)
    with pytest.raises(InvalidReturnTransition):
        hub.handle(InspectReturn(actor=admin, return_id=return_id, grades={"TEE-RED-M": {"resellable": 2}}))
    assert snapshot(hub) == after


def test_an_rma_naming_no_node_goes_to_the_buyers_regional_returns_centre(hub: Hub, admin: Actor) -> None:
    order_id = shipped_order(hub, admin)  # the buyer is in 浙江省
    hub.handle(SetReturnsCentres(actor=admin, centres={"浙江省": "ST-HZ", "*": "WH-HZ"}))
    created = hub.handle(CreateReturn(actor=admin, order_id=str(order_id), lines={"TEE-RED-M": 1}))
    hub.handle(ReceiveReturn(actor=admin, return_id=str(created.id)))
    hub.handle(InspectReturn(actor=admin, return_id=str(created.id), grades={"TEE-RED-M": {"resellable": 1}}))
    assert level(hub, admin, "TEE-RED-M", "ST-HZ")["on_hand"] == 3 and ledger_differences(hub) == []
    hub.handle(SetReturnsCentres(actor=admin, centres={"*": "WH-HZ"}))  # replaces them all
    with hub.uow(write=False) as uow:
        assert queries.returns_centres(uow.connection, admin.tenant_id) == {"*": "WH-HZ"}
    by_hand = hub.handle(CreateReturn(actor=admin, lines={"TEE-RED-M": 1}))  # no order: the "*" centre
    with hub.uow(write=False) as uow:
        assert queries.return_view(uow.connection, admin.tenant_id, by_hand.id)["node"] == "WH-HZ"


def test_a_returns_centre_at_an_unknown_node_changes_nothing(hub: Hub, admin: Actor) -> None:
    hub.handle(SetReturnsCentres(actor=admin, centres={"*": "WH-HZ"}))
    before = snapshot(hub)
    with pytest.raises(UnknownLocation):
        hub.handle(SetReturnsCentres(actor=admin, centres={"浙江省": "NOWHERE", "*": "ST-HZ"}))
    assert snapshot(hub) == before
    with hub.uow(write=False) as uow:
        assert queries.returns_centres(uow.connection, admin.tenant_id) == {"*": "WH-HZ"}


def test_defects_are_counted_per_supplier_of_each_sku(hub: Hub, admin: Actor) -> None:
    create_sku(hub, admin, "TEE-BLU-M")
    create_partner(hub, admin, "mill-a", kind="supplier")
    create_partner(hub, admin, "mill-b", kind="supplier")
    for supplier, sku, rank in (("mill-a", "TEE-RED-M", 1), ("mill-b", "TEE-RED-M", 2), ("mill-b", "TEE-BLU-M", 1)):
        hub.handle(SetSupplierSku(actor=admin, supplier=supplier, sku=sku, lead_time_days=7, currency="CNY",
                                  priority=rank))
    red = returned(hub, admin, shipped_order(hub, admin), units=2)
    hub.handle(InspectReturn(actor=admin, return_id=red, grades={"TEE-RED-M": {"scrap": 1, "resellable": 1}}))
    blue = hub.handle(CreateReturn(actor=admin, lines={"TEE-BLU-M": 3}, returns_centre="WH-HZ"))
    hub.handle(ReceiveReturn(actor=admin, return_id=str(blue.id)))
    hub.handle(InspectReturn(actor=admin, return_id=str(blue.id),
                             grades={"TEE-BLU-M": {"scrap": 2, "refurbish": 1}}))
    with hub.uow(write=False) as uow:
        per_sku = queries.defect_counts(uow.connection, admin.tenant_id)
        per_supplier = queries.defect_counts_by_supplier(uow.connection, admin.tenant_id)
    assert [(r["sku"], r["supplier"]) for r in per_sku] == [("TEE-BLU-M", "mill-b"), ("TEE-RED-M", "mill-a")]
    assert per_supplier == [
        {"supplier": "mill-b", "returned": 3, "refurbish": 1, "scrap": 2, "skus": ["TEE-BLU-M"]},
        {"supplier": "mill-a", "returned": 2, "refurbish": 0, "scrap": 1, "skus": ["TEE-RED-M"]}]
