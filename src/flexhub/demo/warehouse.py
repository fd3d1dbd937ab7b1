"""The demo's warehouse staff and courier: every routed order is picked, packed and handed to a sandbox SF
Express at each node holding its stock (or collected in store, for pickups); the courier then scans parcels on,
and its route pushes come back to the hub as tracking events. All through the fulfilment commands, as people
at the nodes would drive them."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import Connection

from flexhub.bootstrap import Hub
from flexhub.fulfillment import commands as ful
from flexhub.fulfillment import repository as shipments
from flexhub.fulfillment.queries import open_shipments_of
from flexhub.fulfillment.rules import OPEN
from flexhub.inventory.queries import holding_nodes
from flexhub.kernel.addresses import pickup_store
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.sandbox.carrier import SfSandbox, create_app
from flexhub.sandbox.server import served

log = structlog.get_logger(__name__)
CARRIER = "sf_express"
PUSH_TOKEN = "demo-push-token"
# Waves of up to WAVE orders, the next begun at once while routed orders wait, else after WAVE_S. Each parcel
# is one packer's from waybill to hand-over; PACKERS of them side by side overlap one's carrier call and label
# drawing with another's writes (on SQLite the writes still queue for its one writer, briefly each).
WAVE, WAVE_S, PACKERS = 100, 2.0, 2
STORE_CHANNELS = "store-"  # stores.sales: a store's own channel, store-<code>


@dataclass(frozen=True)
class Parcel:
    """Where a parcel stands, as the packer needs it."""
    id: uuid.UUID
    state: str
    pickup_code: str | None
    waybill_number: str | None


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
    _count: threading.Lock = field(default_factory=threading.Lock)  # the packers' tallies

    def open(self, stack: ExitStack, hub_url: str) -> "Warehouse":
        """The sandbox carrier served, the brand's account with it, and the staff at work on a thread."""
        url = stack.enter_context(served(create_app(self.courier)))
        stack.callback(self.courier.close)
        account = self.hub.handle(ful.CreateCarrierAccount(actor=self.staff, carrier=CARRIER,
                                                           credentials=self.courier.credentials(url, PUSH_TOKEN)))
        self.courier.push_url = f"{hub_url}/webhooks/carriers/{CARRIER}/{account.id}?token={PUSH_TOKEN}"
        self._packers = stack.enter_context(ThreadPoolExecutor(PACKERS, thread_name_prefix="demo-packer"))
        thread = threading.Thread(target=self._work, name="demo-warehouse", daemon=True)
        thread.start()
        stack.callback(thread.join, timeout=30)
        stack.callback(self._stop.set)  # first: callbacks run last in, first out
        return self

    def run_once(self) -> int:
        """Ship one wave of what is routed now; returns the parcels that left."""
        with self._turn:
            return self._wave()[0]

    def _wave(self) -> tuple[int, int]:
        """(parcels that left, orders in the wave): the wave's orders read in one go, their parcels shared out."""
        with self.hub.uow(write=False) as uow:
            routed = [o for o in order_queries.list_orders(uow.connection, self.staff.tenant_id, statuses=["routed"],
                                                           limit=WAVE) if not _at_the_till(o)]
            work = _wave_work(uow.connection, self.staff.tenant_id, [uuid.UUID(o["id"]) for o in reversed(routed)])
        before = self.shipped + self.collected
        jobs = [self._packers.submit(self._go_on, str(order_id), parcel)
                for order_id, parcels, _ in work for parcel in parcels]
        jobs += [self._packers.submit(self._ship, str(order_id), node) for order_id, _, nodes in work for node in nodes]
        for done in jobs:
            done.result()
        return self.shipped + self.collected - before, len(routed)

    def _ship(self, order_id: str, node: str) -> None:
        try:
            made = self.hub.handle(ful.CreateShipment(actor=self.staff, order_id=order_id, node=node, carrier=CARRIER))
        except FlexhubError as error:  # an order cancelled or re-routed meanwhile: the next wave sees it anew
            self._skipped(order_id, error)
            return
        self._go_on(order_id, Parcel(made.id, made.state, made.pickup_code, None))

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
                with self._count:
                    self.collected += 1
                return
            waybill = self.hub.handle(ful.ShipShipment(actor=self.staff, shipment_id=shipment_id)).waybill_number
        except FlexhubError as error:
            self._skipped(order_id, error)
            return
        with self._count:
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
        with self._count:
            self.failed += 1
        log.info("demo warehouse skipped a parcel", order=order_id, error=str(error))

    def _work(self) -> None:
        while not self._stop.is_set():
            full = False
            try:
                with self._turn:
                    full = self._wave()[1] == WAVE
            except Exception:  # a bad wave is logged; the staff come back next wave
                log.exception("demo warehouse wave failed")
            if not full:
                self._stop.wait(WAVE_S)


def _at_the_till(order: dict[str, Any]) -> bool:
    """A store sale's order the store's own staff handle (taken now or picked up there): not the warehouse's. (One
    awaiting its WeChat Pay payment is not routed at all: routing.rules.awaits_payment.)"""
    return bool(order["channel"].startswith(STORE_CHANNELS) and pickup_store(order["shipping_address"]))


def _wave_work(connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]
               ) -> list[tuple[uuid.UUID, list[Parcel], list[str]]]:
    """Per order, oldest first: its parcels not yet gone, and the nodes holding its stock with no parcel begun."""
    held = holding_nodes(connection, tenant_id, order_ids)
    parcels = open_shipments_of(connection, tenant_id, order_ids, OPEN)
    codes = {r.location_id: r.code for r in held}
    work = []
    for order_id in order_ids:
        open_parcels = [p for p in parcels if p.order_id == order_id]
        begun = {p.location_id for p in open_parcels}
        nodes = sorted({codes[r.location_id] for r in held if r.order_id == order_id and r.location_id not in begun})
        work.append((order_id, [Parcel(p.id, p.state, p.pickup_code, p.waybill_number) for p in open_parcels], nodes))
    return work
