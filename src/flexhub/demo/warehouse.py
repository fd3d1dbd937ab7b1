"""The demo's warehouse staff and courier: every routed order is picked, packed and handed to a sandbox SF
Express at each node holding its stock (or collected in store, for pickups); the courier then scans parcels on,
and its route pushes come back to the hub as tracking events. All through the fulfilment commands, as people
at the nodes would drive them."""

import threading
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import Connection

from flexhub.bootstrap import Hub
from flexhub.fulfillment import commands as ful
from flexhub.fulfillment import repository as shipments
from flexhub.fulfillment.rules import OPEN
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.sandbox.carrier import SfSandbox, create_app
from flexhub.sandbox.server import served

log = structlog.get_logger(__name__)
CARRIER = "sf_express"
PUSH_TOKEN = "demo-push-token"
# Waves of at most BATCH orders every WAVE_S: five writes a parcel would otherwise starve the order intake of
# SQLite's one writer during a flash sale (a warehouse ships in waves, too).
BATCH, WAVE_S = 10, 2.0


@dataclass
class Warehouse:
    hub: Hub
    staff: Actor
    courier: SfSandbox = field(default_factory=SfSandbox)
    shipped: int = 0
    collected: int = 0
    failed: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _turn: threading.Lock = field(default_factory=threading.Lock)  # the thread's turns and the closing one

    def open(self, stack: ExitStack, hub_url: str) -> "Warehouse":
        """The sandbox carrier served, the brand's account with it, and the staff at work on a thread."""
        url = stack.enter_context(served(create_app(self.courier)))
        stack.callback(self.courier.close)
        account = self.hub.handle(ful.CreateCarrierAccount(actor=self.staff, carrier=CARRIER,
                                                           credentials=self.courier.credentials(url, PUSH_TOKEN)))
        self.courier.push_url = f"{hub_url}/webhooks/carriers/{CARRIER}/{account['id']}?token={PUSH_TOKEN}"
        thread = threading.Thread(target=self._work, name="demo-warehouse", daemon=True)
        thread.start()
        stack.callback(lambda: (self._stop.set(), thread.join(timeout=30)))
        return self

    def run_once(self) -> int:
        """Ship what is routed now; returns the parcels that left."""
        with self._turn:
            return self._turn_once()

    def _turn_once(self) -> int:
        with self.hub.uow(write=False) as uow:
            routed = order_queries.list_orders(uow.connection, self.staff.tenant_id, statuses=["routed"], limit=BATCH)
            work = [self._order_work(uow.connection, uuid.UUID(o["id"])) for o in reversed(routed)]  # oldest first
        before = self.shipped + self.collected
        for order_id, open_parcels, new_nodes in work:
            for parcel in open_parcels:  # begun on an earlier turn (a carrier error, the demo closing): go on
                self._go_on(str(order_id), parcel)
            for node in new_nodes:
                self._ship(str(order_id), node)
        return self.shipped + self.collected - before

    def _order_work(self, connection: Connection, order_id: uuid.UUID) -> tuple[uuid.UUID, list[Any], list[str]]:
        """The order's parcels not yet gone, and the nodes holding its stock with no parcel begun."""
        held_at = {r["location"] for r in order_queries.order_view(connection, self.staff.tenant_id, order_id)[
            "reservations"] if r["state"] == "active"}
        parcels = [s for s in shipments.order_shipments(connection, self.staff.tenant_id, order_id)
                   if s.state in OPEN]
        begun = {shipments.location_code(connection, s.location_id) for s in parcels}
        return order_id, parcels, sorted(held_at - begun)

    def _ship(self, order_id: str, node: str) -> None:
        try:
            self.hub.handle(ful.CreateShipment(actor=self.staff, order_id=order_id, node=node, carrier=CARRIER))
        except FlexhubError as error:  # an order cancelled or re-routed meanwhile: the next turn sees it anew
            self._skipped(order_id, error)
            return
        with self.hub.uow(write=False) as uow:
            parcels = [s for s in shipments.order_shipments(uow.connection, self.staff.tenant_id,
                                                            uuid.UUID(order_id)) if s.state == "created"]
        for parcel in parcels:
            self._go_on(order_id, parcel)

    def _go_on(self, order_id: str, parcel: Any) -> None:
        """Waybill, pick, pack, then hand over (or the buyer collects in store), from wherever the parcel is."""
        shipment_id = str(parcel.id)
        try:
            if parcel.pickup_code is None and parcel.waybill_number is None and not self._waybill(parcel.id):
                raise FlexhubError("the carrier gave no waybill")
            if parcel.state == "created":
                self.hub.handle(ful.ConfirmPick(actor=self.staff, shipment_id=shipment_id))
            if parcel.state in ("created", "picked"):
                self.hub.handle(ful.PackShipment(actor=self.staff, shipment_id=shipment_id))
            if parcel.pickup_code:
                self.hub.handle(ful.CollectPickup(actor=self.staff, shipment_id=shipment_id, code=parcel.pickup_code))
                self.collected += 1
                return
            waybill = self.hub.handle(ful.ShipShipment(actor=self.staff, shipment_id=shipment_id))["waybill_number"]
        except FlexhubError as error:
            self._skipped(order_id, error)
            return
        self.shipped += 1
        if waybill in self.courier.parcels:  # a waybill of this run's courier (not one kept from an earlier run)
            self.courier.scan(waybill, "picked_up")

    def _waybill(self, shipment_id: uuid.UUID) -> bool:
        """Asked of the carrier, unless the hub's own waybill job got there first."""
        if self.hub.waybills.issue(self.staff.tenant_id, shipment_id):
            return True
        with self.hub.uow(write=False) as uow:
            return shipments.shipment(uow.connection, self.staff.tenant_id, shipment_id).waybill_number is not None

    def _skipped(self, order_id: str, error: FlexhubError) -> None:
        self.failed += 1
        log.info("demo warehouse skipped a parcel", order=order_id, error=str(error))

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bad turn is logged; the staff come back next wave
                log.exception("demo warehouse turn failed")
            self._stop.wait(WAVE_S)
