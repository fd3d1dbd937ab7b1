"""The demo's warehouse staff and courier: every routed order is picked, packed and handed to a sandbox SF
Express at each node holding its stock (or collected in store, for pickups); the courier then scans parcels on,
and its route pushes come back to the hub as tracking events. All through the fulfilment commands, as people
at the nodes would drive them."""

import threading
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field

import structlog

from flexhub.bootstrap import Hub
from flexhub.fulfillment import commands as ful
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
BATCH, WAVE_S = 20, 2.0


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
            nodes = {o["id"]: sorted({r["location"] for r in order_queries.order_view(
                uow.connection, self.staff.tenant_id, uuid.UUID(o["id"]))["reservations"] if r["state"] == "active"})
                for o in reversed(routed)}  # oldest first
        before = self.shipped + self.collected
        for order_id, held_at in nodes.items():
            for node in held_at:
                self._ship(order_id, node)
        return self.shipped + self.collected - before

    def _ship(self, order_id: str, node: str) -> None:
        try:
            created = self.hub.handle(ful.CreateShipment(actor=self.staff, order_id=order_id, node=node,
                                                         carrier=CARRIER))
            shipment_id = str(created["id"])
            if created["pickup_code"] is None and not self.hub.waybills.issue(self.staff.tenant_id, created["id"]):
                raise FlexhubError("the carrier gave no waybill")
            self.hub.handle(ful.ConfirmPick(actor=self.staff, shipment_id=shipment_id))
            self.hub.handle(ful.PackShipment(actor=self.staff, shipment_id=shipment_id))
            if created["pickup_code"]:
                self.hub.handle(ful.CollectPickup(actor=self.staff, shipment_id=shipment_id,
                                                  code=created["pickup_code"]))
                self.collected += 1
                return
            waybill = self.hub.handle(ful.ShipShipment(actor=self.staff, shipment_id=shipment_id))["waybill_number"]
        except FlexhubError as error:  # an order cancelled or re-routed meanwhile: the next turn sees it anew
            self.failed += 1
            log.info("demo warehouse skipped a parcel", order=order_id, node=node, error=str(error))
            return
        self.shipped += 1
        self.courier.scan(waybill, "picked_up")

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bad turn is logged; the staff come back next wave
                log.exception("demo warehouse turn failed")
            self._stop.wait(WAVE_S)
