"""The dashboard in a real browser: Debian's Chromium, and one live server per module and xdist worker.

The server is uvicorn in a thread over a hub on a migrated SQLite file with its workers running,
seeded with a small shop: stock at three nodes, three channels with listings, orders (one awaiting
stock, one imported from a kept webhook body), two channel exceptions (unmapped SKUs), two dead letters and
two user accounts (an operator and a viewer). Stock pushes go to a stub platform on 127.0.0.1 that accepts
every figure. Each visited page's load time is the median of five loads.
"""

import fcntl
import json
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Page
from sqlalchemy import insert, select

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.channels import inbound
from flexhub.channels import repository as channel_repository
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Listing, StockPush
from flexhub.kernel import clock
from flexhub.ordering.model import Order
from flexhub.settings import Settings
from flexhub.testing import builders, database
from flexhub.testing.api_client import Tenant, create_tenant_with_keys

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOAD_TIMES = ARTIFACTS / "page_load_ms.json"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the dashboard in Chromium (part of the normal run)")
    config.stash[STARTED] = time.time()


STARTED = pytest.StashKey[float]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The page load times this run measured, in its output beside the machine's load (test-artifacts keeps them)."""
    if not LOAD_TIMES.exists() or LOAD_TIMES.stat().st_mtime < config.stash.get(STARTED, time.time()):
        return
    times = json.loads(LOAD_TIMES.read_text())
    shown = sorted(times.items(), key=lambda item: -item[1])
    load = " / ".join(f"{figure:.1f}" for figure in os.getloadavg())
    terminalreporter.section("page load times (median of five loads, ms)")
    terminalreporter.write_line(f"{len(times)} pages, median {statistics.median(times.values()):.0f} ms, slowest "
                                f"{shown[0][1]:.0f} ms; load average {load} (1, 5, 15 min)")
    for name, milliseconds in shown[:SLOWEST_SHOWN]:  # every page's is in the file
        terminalreporter.write_line(f"{milliseconds:8.1f}  {name}")


SLOWEST_SHOWN = 15


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a browser Playwright downloads itself."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: run `make browser`")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


def _unavailable(message: str) -> None:
    if database.running_in_ci():
        pytest.fail(f"{message}, and CI=true: the browser tests must run in CI", pytrace=False)
    pytest.skip(message)


# --- the shop the pages show -------------------------------------------------------------------------------

SKUS = {"TEE-RED-M": "Tee, red, M", "TEE-BLUE-M": "Tee, blue, M", "MUG-WHITE": "Mug, white", "CAP-BLACK": "Cap, black"}
NODES = {"WH-CENTRAL": "central", "WH-EAST": "regional", "STORE-SH": "store"}
STOCK = [("TEE-RED-M", "WH-CENTRAL", 40), ("TEE-RED-M", "WH-EAST", 12), ("TEE-BLUE-M", "WH-CENTRAL", 6),
         ("MUG-WHITE", "STORE-SH", 25)]
CHANNELS = {"web": "Brand site", "outlet": "Outlet store", "b2b": "Wholesale"}
LISTINGS = [("web", "WEB-TEE-RED", "TEE-RED-M"), ("web", "WEB-MUG", "MUG-WHITE"),
            ("outlet", "OUT-CAP", "CAP-BLACK"), ("b2b", "B2B-CAP", "CAP-BLACK")]
# Orders whose lines name external SKUs no listing maps yet: each becomes a channel exception.
UNMAPPED = {"W-2001": "WEB-TEE-BLUE", "W-2002": "WEB-HAT"}
# Who signs in with a login and a password (builders.PASSWORD); the login is the role's.
USERS = {"operator": "ops@brand.example", "viewer": "viewer@brand.example"}
WEBHOOK_BUYER = {"name": "王小明", "phone": "13912345678"}  # W-3001's, as its webhook body carried it


@dataclass
class Shop:
    tenant: Tenant
    order_id: str  # A-1001: reserved at WH-CENTRAL
    awaiting_id: str  # A-1009: CAP-BLACK, of which there is none
    webhook_order_id: str  # W-3001: imported from a kept webhook body, WEB-TEE-RED × 1


def seed(hub: Hub, platform_url: str) -> Shop:
    tenant = create_tenant_with_keys(hub)
    admin = tenant.admin
    for code, name in SKUS.items():
        builders.create_sku(hub, admin, code, name=name)
    for code, kind in NODES.items():
        builders.create_location(hub, admin, code, kind)
    credentials = {"webhook_secret": "browser-test-secret", "base_url": platform_url}
    for code, name in CHANNELS.items():
        builders.create_channel(hub, admin, code, name=name, credentials=credentials)
    for channel, external_sku, sku in LISTINGS:
        hub.handle(CreateListing(actor=admin, channel=channel, external_sku=external_sku, sku=sku))
    for sku, node, quantity in STOCK:
        builders.receive(hub, admin, sku, node, quantity)
    builders.set_safety_stock(hub, admin, "TEE-RED-M", "WH-EAST", 15)  # below safety there, sold from WH-CENTRAL
    first = builders.import_order(hub, admin, external_id="A-1001")
    for n, sku in enumerate(["TEE-RED-M", "MUG-WHITE", "TEE-RED-M", "TEE-BLUE-M", "MUG-WHITE"], start=2):
        builders.import_order(hub, admin, external_id=f"A-100{n}", lines=[builders.line(sku, 1)])
    awaiting = builders.import_order(hub, admin, external_id="A-1009", lines=[builders.line("CAP-BLACK", 2)])
    assert awaiting.status == "awaiting_stock"
    _keep_unmapped_orders(hub, tenant)
    _bury_dead_letters(hub, tenant, ["OUT-CAP", "B2B-CAP"])
    for role, login in USERS.items():
        builders.create_user(hub, admin, login=login, role=role)
    return Shop(tenant, str(first.order_id), str(awaiting.order_id), _import_from_webhook(hub, tenant))


def _import_from_webhook(hub: Hub, tenant: Tenant) -> str:
    with hub.uow(write=False) as uow:
        web = channel_repository.channels_by_code(uow.connection, tenant.admin.tenant_id, ["web"])["web"]
    body = builders.order_body("W-3001", lines=[builders.line("WEB-TEE-RED", 1, 9900)], buyer=WEBHOOK_BUYER)
    body.pop("channel")
    inbound.keep(hub, web, "webhook", {"content-type": "application/json"}, json.dumps(body))
    inbound.process_pending(hub)
    with hub.uow(write=False) as uow:
        return str(uow.connection.execute(select(Order.id).where(Order.external_id == "W-3001")).scalar_one())


def _keep_unmapped_orders(hub: Hub, tenant: Tenant) -> None:
    with hub.uow(write=False) as uow:
        web = channel_repository.channels_by_code(uow.connection, tenant.admin.tenant_id, ["web"])["web"]
    for external_id, external_sku in UNMAPPED.items():
        body = builders.order_body(external_id, lines=[builders.line(external_sku, 1, 12900)])
        body.pop("channel")
        inbound.keep(hub, web, "webhook", {"content-type": "application/json"}, json.dumps(body))
    inbound.process_pending(hub)


def _bury_dead_letters(hub: Hub, tenant: Tenant, external_skus: list[str]) -> None:
    """Listings of a SKU nothing else moves, whose figure the platform refused until it gave up."""
    with hub.uow() as uow:
        listings = uow.connection.execute(select(Listing.id, Listing.channel_id).where(
            Listing.tenant_id == tenant.admin.tenant_id, Listing.external_sku.in_(external_skus))).all()
        uow.connection.execute(insert(StockPush), [{
            "listing_id": listing_id, "tenant_id": tenant.admin.tenant_id, "channel_id": channel_id,
            "quantity": 0, "version": 1, "state": "dead", "pushed_quantity": None, "pushed_version": 0,
            "attempts": 8, "next_attempt_at": clock.now(), "changed_at": clock.now(),
            "last_error": "HTTP 503: the platform is down for maintenance",
        } for listing_id, channel_id in listings])
        uow.commit()


# --- the live server --------------------------------------------------------------------------------------

@dataclass
class Dashboard:
    url: str
    hub: Hub
    shop: Shop

    def key(self, role: str = "admin") -> str:
        return self.shop.tenant.tokens[role]

    def user(self, role: str) -> str:
        """The login of the seeded user with this role (its password: builders.PASSWORD)."""
        return USERS[role]


@pytest.fixture(scope="module")
def dashboard(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    if not (ROOT / "node_modules" / "echarts").is_dir():
        _unavailable("the dashboard's browser libraries are missing: run `make assets`")
    folder = tmp_path_factory.mktemp("dashboard")
    settings = Settings(database_url=database.copy_sqlite(sqlite_template, folder / "flexhub.db"),
                        assets_dir=str(ROOT / "node_modules"), secret_key_file=str(folder / "secret.key"))
    with accepting_platform() as platform_url:
        hub = bootstrap(settings)
        try:
            shop = seed(hub, platform_url)
            hub.workers.start()
            with serving(create_app(hub)) as url:
                yield Dashboard(url, hub, shop)
        finally:
            hub.close()


SERVING: list[uvicorn.Server] = []  # the servers `serving` runs now, whose requests each test waits for
ANSWERED_S = 10.0  # how long a closed page's requests may take to end


@pytest.fixture(autouse=True)
def requests_answered() -> Iterator[None]:
    """Every request the test's pages made is over, its log line written, before the test's output is read. The
    browser closes the pages as the test ends and the server sees the connections go in its own thread moments
    later: the overview's live stream (`/live`) then ended, and logged its line, after the test's output had been
    read (in the next test's, or on the console after the last). Set up before the pages, so it ends after them."""
    yield
    every_request_answered()


def every_request_answered() -> None:
    """Wait until no request is open on any server `serving` runs (each one's log line is then written)."""
    for server in SERVING:
        deadline = time.monotonic() + ANSWERED_S
        while server.server_state.tasks:
            assert time.monotonic() < deadline, f"{len(server.server_state.tasks)} requests still open after the test"
            time.sleep(0.01)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn on a free loopback port, in a thread; its URL."""
    # Named TCP, or asyncio leaves Nagle on: each keep-alive response would then wait 40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.02)
    SERVING.append(server)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        SERVING.remove(server)
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


class _Accepting(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def accepting_platform() -> Iterator[str]:
    """A platform on 127.0.0.1 that confirms every stock figure pushed to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accepting)
    thread = threading.Thread(target=server.serve_forever, name="platform-stub", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- what a person does in the browser --------------------------------------------------------------------

@pytest.fixture
def sign_in(page: Page, dashboard: Dashboard) -> Callable[..., None]:
    """Sign in with the key of a role (admin unless told): the form's POST, without drawing the form first.

    The form itself is driven by the sign-in test; this keeps every other test to the pages it is about."""

    def with_key_of(role: str = "admin") -> None:
        answer = page.request.post(f"{dashboard.url}/login", form={"api_key": dashboard.key(role), "next": "/"},
                                   max_redirects=0)
        assert answer.status == 303, answer.text()

    return with_key_of


@pytest.fixture
def screenshot(page: Page) -> Callable[..., Path]:
    """A screenshot as test-artifacts/screenshots/<name>.png: the full page, or the window where the page is one
    very long document (ReDoc's whole API, whose full-page picture took over 30 s to render in CI)."""

    def take(name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def visit(page: Page, dashboard: Dashboard, screenshot: Callable[[str], Path]) -> Callable[[str, str], Page]:
    """Open a page, keep its load time and a screenshot of it under test-artifacts/."""

    def open_page(path: str, name: str) -> Page:
        times = []
        for _ in range(LOADS):
            page.goto(f"{dashboard.url}{path}")
            times.append(load_time_ms(page))
        record_load_time(name, statistics.median(times))
        page.wait_for_function(CHARTS_SETTLED)
        screenshot(name)
        return page

    return open_page


LOADS = 5  # a page's load time is the median of this many loads (the first pays for cold caches)

# Every chart drawn and done animating (a page without charts is settled at once).
CHARTS_SETTLED = """() => [...document.querySelectorAll('.chart')].every((element) => {
  const chart = window.echarts && echarts.getInstanceByDom(element);
  return chart && chart.getZr().animation.isFinished();
})"""


def load_time_ms(page: Page) -> float:
    """Navigation start to the end of the load event, from the page's own navigation timing."""
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0")
    return round(page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                               " return n.loadEventEnd - n.startTime; }"), 1)


def record_load_time(name: str, milliseconds: float) -> None:
    """Merged into one file under a lock: both xdist workers write to it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / ".page_load_ms.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        times = json.loads(LOAD_TIMES.read_text()) if LOAD_TIMES.exists() else {}
        times[name] = milliseconds
        staged = LOAD_TIMES.with_suffix(f".{os.getpid()}.tmp")
        staged.write_text(json.dumps(dict(sorted(times.items())), indent=2) + "\n")
        os.replace(staged, LOAD_TIMES)
