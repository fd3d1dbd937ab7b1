"""The demo's warehouse, on SQLite and PostgreSQL: routed orders leave as SF Express parcels (waybill, pick, pack,
ship), the courier's first scan comes back as a tracking event, and a parcel begun on an earlier wave is carried
on rather than begun twice."""

import uuid
from contextlib import ExitStack

from sqlalchemy import select

from flexhub.demo.warehouse import Warehouse
from flexhub.fulfillment.commands import CreateShipment
from flexhub.fulfillment.model import Shipment, TrackingEvent
from flexhub.kernel.messages import Actor
from flexhub.ordering.queries import list_orders
from flexhub.sandbox.stage import Stage, jobs_left, wait_until
from flexhub.testing.snapshots import ledger_differences, level

SKU = "TEE-RED-M"


def routed(stage: Stage, count: int) -> list[dict]:
    store = stage.market.store("generic", "web-shop")
    placed = [stage.market.place_order(store, {SKU: 1}).external_id for _ in range(count)]

    def all_routed() -> list[dict] | None:
        with stage.hub.uow(write=False) as uow:
            found = list_orders(uow.connection, stage.admin.tenant_id, statuses=["routed"])
        return found if {o["external_id"] for o in found} >= set(placed) else None

    def statuses() -> dict:
        with stage.hub.uow(write=False) as uow:
            found = list_orders(uow.connection, stage.admin.tenant_id)
        return {"orders": {o["external_id"]: o["status"] for o in found}, "jobs": jobs_left(stage.hub)}

    return wait_until(all_routed, timeout_s=60, explain=statuses)


def shipments(stage: Stage) -> list:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(Shipment.order_id, Shipment.state, Shipment.waybill_number)).all()


def test_routed_orders_leave_as_parcels_and_the_first_scan_comes_back(stage: Stage) -> None:
    orders = routed(stage, 3)
    staff = Actor(tenant_id=stage.admin.tenant_id, role="operator", name="demo:warehouse")
    with ExitStack() as stack:
        warehouse = Warehouse(stage.hub, staff)
        warehouse._work = lambda: None  # turns driven by the test, not the staff's thread
        warehouse.open(stack, stage.market.hub_url)
        begun = stage.hub.handle(CreateShipment(actor=staff, order_id=orders[0]["id"], carrier="sf_express"))

        shipped = warehouse.run_once()
        assert shipped == 3, warehouse.failed

        parcels = shipments(stage)
        assert len(parcels) == 3 and {p.state for p in parcels} <= {"shipped", "in_transit"}  # scans move them on
        assert all(p.waybill_number.startswith("SF") for p in parcels)
        assert uuid.UUID(str(begun.id)) in {row.id for row in _shipment_ids(stage)}  # carried on, not doubled
        assert (warehouse.shipped, warehouse.failed) == (3, 0)
        wait_until(lambda: len(_scans(stage)) == 3)
    assert level(stage.hub, stage.admin, SKU, "WH-HZ")["on_hand"] == 7
    assert ledger_differences(stage.hub) == []


def _shipment_ids(stage: Stage) -> list:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(Shipment.id)).all()


def _scans(stage: Stage) -> list:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(TrackingEvent.state).where(TrackingEvent.state == "picked_up")).all()
