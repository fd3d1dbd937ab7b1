"""The production topology as processes: two `flexhub serve --no-jobs` and two `flexhub worker` on PostgreSQL,
NATS JetStream carrying the events, sandbox stores taking the stock figures and a receiver counting outbound
webhook posts. A flash sale runs through it twice: first as is, then with one API process and one worker killed
with SIGKILL in the middle and started again. Each time: no unit oversold, no order twice, every order answered
2xx kept once and whole, every event consumed, every store showing the pool's figure, no 429 from the sandbox
platforms, the ledger verified; and in the first, every delivery posted once. Run with `-s`, it prints the figures
an operator reads (flexhub.testing.sale_figures): the README's production section quotes one run."""

import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx2
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from flexhub.alerts.events import AlertRaised
from flexhub.bootstrap import Hub, bootstrap
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.commands import CreateApiKey
from flexhub.inventory.queries import levels_for_sku
from flexhub.kernel.ids import new_id
from flexhub.notifications import repository
from flexhub.notifications.model import WebhookDelivery
from flexhub.ordering.queries import list_orders, order_view
from flexhub.sandbox.app import create_app as sandbox_app
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.stage import wait_until
from flexhub.settings import Settings
from flexhub.testing.builders import create_location, create_sku, create_tenant, order_body, receive
from flexhub.testing.nats import require_local_nats, unique_names
from flexhub.testing.processes import Receiver
from flexhub.testing.sale_figures import SaleFigures, kept_twice, table, units_oversold, waits
from flexhub.testing.topology import Topology

SKU, STOCK = "TEE-RED-M", 150
STORES = [("generic", "web"), ("shopify", "shopify-shop"), ("taobao", "taobao-shop"), ("jd", "jd-shop"),
          ("kuaishou", "kuaishou-shop")]
ORDERS_PER_SALE, ALERTS_PER_SALE, CLIENTS = 120, 20, 12
KILL_AT, DOWN_S = ORDERS_PER_SALE // 3, 1.0


@dataclass
class Sale:
    name: str
    answered: dict[str, int]  # external id → the final status answered
    seconds: float
    alerts: list[str]  # the AlertRaised event ids sent out during the sale
    ended_at: float  # monotonic: the last answer
    throttled_before: int  # 429s the platforms had answered before the sale
    killed_at: float | None = None  # monotonic: the kill -9


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_apis_and_two_workers_sell_exactly_and_survive_a_kill(database_url, tmp_path, capsys):
    require_local_nats()
    stream, prefix = unique_names()
    settings = {"database_url": database_url, "secret_key": Fernet.generate_key().decode(),
                "event_transport": "nats", "nats_stream": stream, "nats_prefix": prefix, "nats_ack_wait_s": 3,
                "push_interval_s": 0.2, "relay_interval_s": 0.1, "hold_back_quantile": 0, "lease_s": 3,
                "job_lease_s": 5, "shutdown_drain_s": 3, "log_format": "json"}
    hub = bootstrap(Settings(**settings))  # the test's own process: setting up and checking, never running jobs
    market, receiver = Market(), Receiver()
    try:
        with served(sandbox_app(market)) as sandbox_url:
            market.base_url = sandbox_url
            admin, token = _shop(hub, market, receiver)
            topology = Topology(tmp_path, settings).start(apis=2, workers=2)
            try:
                available = STOCK
                _every_store_shows(market, available, 60)

                calm = _flash_sale(hub, topology, market, token, "A")
                figures = [_settled(hub, admin, market, receiver, calm)]
                assert sorted(receiver.posts.values()) == [1] * ALERTS_PER_SALE  # each delivery once, no retry

                victims = (topology.apis[1], topology.workers[0])
                rough = _flash_sale(hub, topology, market, token, "B", kill=victims)
                figures.append(_settled(hub, admin, market, receiver, rough))
            finally:
                topology.stop()
            assert _throttled(market) == 0  # no 429 from any platform
            assert all(row.oversold == row.duplicates == 0 for row in figures)
            verified = subprocess.run([sys.executable, "-m", "flexhub.cli.main", "inventory", "verify"],
                                      env=_env(settings), capture_output=True, text=True)
            assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        receiver.close()
        market.close()
        _drop_streams(hub, stream)
        hub.close()
    with capsys.disabled():
        print(f"\n2 `flexhub serve --no-jobs` + 2 `flexhub worker` on PostgreSQL and NATS JetStream; {STOCK} units, "
              f"{ORDERS_PER_SALE} one-unit orders and {ALERTS_PER_SALE} webhook deliveries a sale, {CLIENTS} clients; "
              f"sale B: API 1 and worker 0 killed -9 once {KILL_AT} orders were answered, restarted {DOWN_S:.0f} s "
              "later\n")
        print(table(figures))
        print(waits(figures))


def _shop(hub: Hub, market: Market, receiver: Receiver) -> tuple:
    admin = create_tenant(hub, "acme")
    token = hub.handle(CreateApiKey(actor=admin, role="admin", name="flash-sale"))["token"]
    create_sku(hub, admin, SKU)
    create_location(hub, admin, "WH-CENTRAL")
    for platform, code in STORES:  # they only take stock here: the sale's orders come through the API
        connect(hub, admin, market.open_store(platform, code, [SKU], sells=False))
    with hub.uow() as uow:
        repository.insert_endpoint(uow.connection, {
            "id": new_id(), "tenant_id": admin.tenant_id, "partner_id": None, "url": receiver.url,
            "secret": hub.vault.seal({"secret": "whsec_" + "a" * 32}), "event_types": ["AlertRaised"],
            "active": True, "allow_private": True})  # the receiver listens on loopback
        uow.commit()
    receive(hub, admin, SKU, "WH-CENTRAL", STOCK)
    return admin, token


def _flash_sale(hub: Hub, topology: Topology, market: Market, token: str, name: str, kill: tuple = ()) -> Sale:
    """Clients post orders of one unit each to both APIs in turn; a post cut by a dead process (or answered 5xx)
    is posted again, same order, to the other API, as a client behind a load balancer would see it."""
    headers = {"Authorization": f"Bearer {token}"}
    answered: dict[str, int] = {}
    alerts: list[str] = []
    lock = threading.Lock()
    throttled_before = _throttled(market)

    def place(n: int) -> None:
        external_id = f"{name}-{n:04d}"
        for attempt in range(20):
            api = topology.apis[(n + attempt) % len(topology.apis)]
            try:
                response = client.post(f"{api.url}/api/v1/orders", headers=headers, timeout=30,
                                       json=order_body(external_id, lines=[{"sku": SKU, "quantity": 1,
                                                                            "unit_price": 9900}]))
            except httpx2.HTTPError:
                time.sleep(0.2)
                continue
            if response.status_code < 500:
                with lock:
                    answered[external_id] = response.status_code
                return
            time.sleep(0.2)
        raise AssertionError(f"{external_id} was never answered")

    def alert(n: int) -> None:  # events leaving by webhook, committed during the sale like any other
        event = AlertRaised(tenant_id=hub_tenant(hub), alert_id=str(uuid.uuid4()), kind="low_stock", sku=SKU,
                            location="WH-CENTRAL")
        with hub.uow() as uow:
            uow.record(event)
            uow.commit()
        alerts.append(str(event.event_id))

    def chaos() -> None:  # once a third of the orders are answered: kill -9, a moment down, started again
        wait_until(lambda: len(answered) >= KILL_AT, timeout_s=60, every_s=0.01)
        moments.append(time.monotonic())
        for process in kill:
            topology.kill(process)
        time.sleep(DOWN_S)
        for process in kill:
            topology.restart(process)

    moments: list[float] = []
    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS + 1) as pool, httpx2.Client() as client:  # kept-alive, as behind a balancer
        futures = [pool.submit(chaos)] if kill else []
        for n in range(ORDERS_PER_SALE):
            futures.append(pool.submit(place, n))
            if n % (ORDERS_PER_SALE // ALERTS_PER_SALE) == 0:
                futures.append(pool.submit(alert, n))
        for future in futures[1:] if kill else futures:
            future.result()
        ended_at = time.monotonic()
        if kill:
            futures[0].result()  # the restarted API answers again
    return Sale(name, answered, ended_at - started, alerts, ended_at, throttled_before, moments[0] if kill else None)


def _settled(hub: Hub, admin, market: Market, receiver: Receiver, sale: Sale) -> SaleFigures:  # type: ignore[no-untyped-def]
    """Checks after a sale, waiting for the background work to catch up; its figures, times counted from the sale's
    last answer (and from the kill, for a sale with one)."""
    assert all(200 <= status < 300 for status in sale.answered.values()), Counter(sale.answered.values())
    with hub.uow(write=False) as uow:
        kept = list_orders(uow.connection, admin.tenant_id, limit=500)
        mine = [order for order in kept if order["external_id"].startswith(f"{sale.name}-")]
        # Every order answered 2xx is kept, once.
        assert sorted(order["external_id"] for order in mine) == sorted(sale.answered)
        for order in mine:  # whole: a reserved order holds its unit; none stands half-written
            view = order_view(uow.connection, admin.tenant_id, uuid.UUID(str(order["id"])))
            held = sum(r["quantity"] for r in view["reservations"])
            assert held in (0, 1) and (held == 1) == (order["status"] in ("reserved", "routed")), view
    reserved = _reserved_total(hub, admin)
    available = _available(hub, admin)
    assert available == STOCK - reserved
    stores_at = _every_store_shows(market, available, 90)
    waited = {"stores": stores_at - sale.ended_at}
    for phase, done in (("relay", lambda: _unpublished(hub) == 0),  # every event relayed…
                        ("consumers", lambda: all(pending == 0 for pending in _pending(hub).values())),  # …consumed
                        ("deliveries", lambda: _delivered(hub, sale.alerts))):
        began = time.monotonic()
        wait_until(done, timeout_s=60)
        waited[phase] = time.monotonic() - began
    settled_at = time.monotonic()
    return SaleFigures(
        sale=sale.name + (" (kill -9)" if sale.killed_at else ""), accepted=len(sale.answered), seconds=sale.seconds,
        reserved=sum(order["status"] in ("reserved", "routed") for order in mine),
        duplicates=kept_twice(order["external_id"] for order in mine), oversold=units_oversold(reserved, STOCK),
        deliveries=len(sale.alerts), posted_once=sum(receiver.posts[alert] == 1 for alert in sale.alerts),
        posts=sum(receiver.posts[alert] for alert in sale.alerts), throttled=_throttled(market) - sale.throttled_before,
        stores_in_step_s=stores_at - sale.ended_at, settled_s=settled_at - sale.ended_at,
        after_kill_s=settled_at - sale.killed_at if sale.killed_at else None, waited=waited)


def _throttled(market: Market) -> int:
    return sum(store.throttled for store in market.stores.values())


def _every_store_shows(market: Market, quantity: int, timeout_s: float) -> float:
    def settled() -> bool:
        return all(store.listing(SKU).quantity == quantity for store in market.stores.values())

    try:
        wait_until(settled, timeout_s=timeout_s, every_s=0.1)
    except TimeoutError:
        figures = {store.name: store.listing(SKU).quantity for store in market.stores.values()}
        raise AssertionError(f"stores do not all show {quantity}: {figures}") from None
    return time.monotonic()


def _available(hub: Hub, admin) -> int:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        [level] = levels_for_sku(uow.connection, admin.tenant_id, SKU)["levels"]
    assert level["on_hand"] == STOCK and 0 <= level["reserved"] <= STOCK  # nothing oversold
    return level["available"]


def _reserved_total(hub: Hub, admin) -> int:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        orders = list_orders(uow.connection, admin.tenant_id, limit=500)
        return sum(r["quantity"] for order in orders
                   for r in order_view(uow.connection, admin.tenant_id, uuid.UUID(str(order["id"])))["reservations"])


def _unpublished(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return uow.connection.scalar(select(func.count()).select_from(OutboxEvent)
                                     .where(OutboxEvent.published_at.is_(None)))


def _pending(hub: Hub) -> dict[str, int]:
    """Per durable: events not yet delivered plus delivered and not yet acked."""
    transport = hub.transport
    found = {}
    for info in transport._run(transport._jetstream._jsm.consumers_info(transport._stream)):
        found[info.name] = info.num_pending + info.num_ack_pending
    return found


def _delivered(hub: Hub, event_ids: list[str]) -> bool:
    with hub.uow(write=False) as uow:
        rows = list(uow.connection.execute(select(WebhookDelivery.event_id, WebhookDelivery.state)))
    wanted = {uuid.UUID(event_id) for event_id in event_ids}
    mine = [row for row in rows if row.event_id in wanted]
    assert len(mine) == len({row.event_id for row in mine})  # one delivery per (endpoint, event)
    return len(mine) == len(wanted) and all(row.state == "delivered" for row in mine)


def hub_tenant(hub: Hub) -> uuid.UUID:
    from flexhub.identity.queries import tenant_by_code

    with hub.uow(write=False) as uow:
        return tenant_by_code(uow.connection, "acme").id


def _env(settings: dict) -> dict[str, str]:
    import os

    return {**os.environ, **{f"FLEXHUB_{name.upper()}": str(value) for name, value in settings.items()}}


def _drop_streams(hub: Hub, stream: str) -> None:
    transport = hub.transport
    for name in (stream, f"{stream}_DEAD"):
        try:
            transport._run(transport._jetstream.delete_stream(name))
        except Exception:
            pass
