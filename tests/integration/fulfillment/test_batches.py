"""Bulk work on orders on each backend: a batch holds, releases, cancels, routes or ships many orders, each through
its own command, one order's refusal its outcome and never the others'; a batch refused whole writes nothing; the
picking list walks each node in bin order; the labels of many parcels come as one PDF."""

import uuid
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from flexhub import batches
from flexhub.bootstrap import Hub
from flexhub.fulfillment import queries
from flexhub.fulfillment.picking import labels_together, picking_list, picks_by_node
from flexhub.identity import RoleForbidden
from flexhub.inventory import AssignBins
from flexhub.kernel.messages import Actor
from flexhub.ordering import UnknownOrder
from flexhub.testing.builders import create_shop, create_sku, import_order, line, receive
from flexhub.testing.fulfillment import Network, routed_order
from flexhub.testing.snapshots import level, order, snapshot


def run(hub: Hub, admin: Actor, action: str, order_ids: list[Any], **options: Any) -> dict[str, Any]:
    started = hub.handle(batches.StartOrderBatch(actor=admin, action=action,
                                                 order_ids=tuple(str(i) for i in order_ids), **options))
    assert hub.handle(batches.RunOrderBatches()) == started.total
    with hub.uow(write=False) as uow:
        return batches.batch_view(uow.connection, admin.tenant_id, started.id)


def outcomes(batch: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(o["state"], o["outcome"]) for o in batch["orders"]]


def test_a_hold_batch_gives_the_stock_back_and_a_release_batch_takes_it_again(hub: Hub, admin: Actor) -> None:
    reserved = import_order(hub, admin, external_id="H-1", lines=[line(quantity=2)]).order_id
    routed = routed_order(hub, admin, quantity=3, external_id="H-2")
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["reserved"] == 5

    held = run(hub, admin, "hold", [reserved, routed], reason="buyer called")

    assert (held["state"], held["done"], held["failed"], held["waiting"]) == ("done", 2, 0, 0)
    assert outcomes(held) == [("done", "on_hold"), ("done", "on_hold")]
    assert [o["external_id"] for o in held["orders"]] == ["H-1", "H-2"]
    assert order(hub, admin, routed)["status_reason"] == "buyer called"
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["reserved"] == 0

    released = run(hub, admin, "release", [reserved, routed])

    assert outcomes(released) == [("done", "reserved"), ("done", "reserved")]
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["reserved"] == 5


def test_one_orders_refusal_is_its_outcome_and_the_others_go_on(hub: Hub, admin: Actor) -> None:
    cancelled = import_order(hub, admin, external_id="C-1").order_id
    hub.handle(batches.StartOrderBatch(actor=admin, action="cancel", order_ids=(str(cancelled),)))
    hub.handle(batches.RunOrderBatches())
    fresh = import_order(hub, admin, external_id="C-2").order_id

    batch = run(hub, admin, "hold", [cancelled, fresh])

    assert outcomes(batch) == [("failed", "ordering.invalid_transition"), ("done", "on_hold")]
    assert "cancelled" in batch["orders"][0]["error"]
    assert (batch["state"], batch["done"], batch["failed"]) == ("done", 1, 1)


def test_route_then_ship_makes_a_parcel_per_order_and_their_labels_print_as_one_pdf(
        hub: Hub, admin: Actor, network: Network) -> None:
    placed = [import_order(hub, admin, external_id=f"S-{n}", lines=[line(quantity=1)]).order_id for n in range(3)]

    routed = run(hub, admin, "route", placed)
    shipped = run(hub, admin, "ship", placed, carrier="zto")

    assert outcomes(routed) == [("done", "routed")] * 3
    assert outcomes(shipped) == [("done", "routed")] * 3
    assert hub.waybills.run_once() == 3  # the carrier's waybills and labels, outside the batch's transactions
    with hub.uow(write=False) as uow:
        parcels = queries.labels_of_orders(uow.connection, admin.tenant_id, placed)
    assert [p.external_id for p in parcels] == ["S-0", "S-1", "S-2"]
    together = PdfReader(BytesIO(labels_together([p.label for p in parcels])))
    assert len(together.pages) == 3
    assert [p.waybill_number in page.extract_text() for p, page in zip(parcels, together.pages, strict=True)] \
        == [True] * 3


def test_the_picking_list_walks_each_node_in_bin_order(hub: Hub, admin: Actor) -> None:
    for code, name in (("MUG-WHITE", "白色马克杯"), ("CAP-BLACK", "Cap, black")):
        create_sku(hub, admin, code, name=name)
        receive(hub, admin, code, "WH-HZ", 10)
    hub.handle(AssignBins(actor=admin, location="WH-HZ", bins={"MUG-WHITE": "A-01-02", "CAP-BLACK": "A-01-01"}))
    first = import_order(hub, admin, external_id="P-1", lines=[line("MUG-WHITE", 2), line("TEE-RED-M", 1)]).order_id
    second = import_order(hub, admin, external_id="P-2", lines=[line("CAP-BLACK", 1), line("MUG-WHITE", 1)]).order_id

    with hub.uow(write=False) as uow:
        nodes = picks_by_node(queries.picking_lines(uow.connection, admin.tenant_id, [first, second]))

    assert [(p.bin, p.sku, p.quantity, p.orders) for p in nodes[("WH-HZ", "WH-HZ")]] == [
        ("A-01-01", "CAP-BLACK", 1, ("P-2",)), ("A-01-02", "MUG-WHITE", 3, ("P-1", "P-2")),
        (None, "TEE-RED-M", 1, ("P-1",))]  # no bin set: last
    text = PdfReader(BytesIO(picking_list(nodes, printed="2026-12-05", orders=2))).pages[0].extract_text()
    assert text.index("A-01-01") < text.index("A-01-02") < text.index("TEE-RED-M")


@pytest.mark.parametrize(("role", "action", "ids", "refused"), [
    ("admin", "explode", "one", batches.UnknownAction),
    ("viewer", "hold", "one", RoleForbidden),
    ("admin", "hold", "none", batches.BadSelection),
    ("admin", "hold", "twice", batches.BadSelection),
    ("admin", "hold", "another tenant's", UnknownOrder),
])
def test_a_batch_refused_whole_writes_nothing(hub: Hub, admin: Actor, role: str, action: str, ids: str,
                                              refused: type[Exception]) -> None:
    mine = str(import_order(hub, admin, external_id="R-1").order_id)
    other = create_shop(hub, code="other")
    theirs = str(import_order(hub, other, external_id="X-1").order_id)
    chosen = {"one": (mine,), "none": (), "twice": (mine, mine), "another tenant's": (mine, theirs)}[ids]
    before = snapshot(hub)

    with pytest.raises(refused):
        hub.handle(batches.StartOrderBatch(actor=Actor(tenant_id=admin.tenant_id, role=role, name=role),
                                           action=action, order_ids=chosen))

    assert snapshot(hub) == before
    with hub.uow(write=False) as uow:
        assert batches.recent_batches(uow.connection, admin.tenant_id) == []
        with pytest.raises(batches.UnknownBatch):
            batches.batch_view(uow.connection, admin.tenant_id, uuid.uuid4())
