"""`flexhub demo`: a brand, its stores in the sandbox marketplaces, a trading day with a flash sale,
and the API, workers and dashboard serving it all from one process on SQLite. Ctrl-C stops.

It migrates its database first (a fresh file or one from an earlier version), and takes its summary only once the
warehouse and the stock sync have caught up with the day."""

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.channels import queries as channel_queries
from flexhub.db import migrate
from flexhub.demo import (
    brand,
    day,
    erp,
    history,
    partners,
    planning,
    resellers,
    scan_to_buy,
    settle,
    settlements,
    shoppers,
    stores,
    summary,
    warehouse,
)
from flexhub.kernel.messages import Actor
from flexhub.ops import logs
from flexhub.sandbox.app import create_app as sandbox_app
from flexhub.sandbox.buyers import Tally
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.settings import Settings

SETTLE_S = 300  # at most this long after the day; a stalled wait ends sooner


def demo(
    minutes: float = typer.Option(1.0, help="how long the trading day runs, in real minutes"),
    speed: float = typer.Option(1.0, help="how busy the day is: 1 is about 10 orders a second"),
    spike: bool = typer.Option(True, "--spike/--no-spike", help="flash-sale spikes in the live rooms"),
    port: int = typer.Option(8000, help="port of the API and the dashboard"),
    serve: bool = typer.Option(True, help="keep serving after the day (--no-serve to exit)"),
) -> None:
    """Seed a brand and its stores, run a trading day through the sandbox, print a summary, serve."""
    console = Console()
    _quiet_logs(Path("var/demo.log"))
    with console.status("migrating the database…"):
        migrate.upgrade(Settings().database_url)
    # Every shopper of the four stores comes from this machine's address: its limit is theirs together.
    hub = bootstrap(Settings(shopper_requests_per_minute=shoppers.ALL_SHOPPERS_PER_MINUTE))
    with ExitStack() as stack:
        stack.callback(hub.close)
        seeded = _seed(hub, console)
        with console.status("suppliers, their terms and purchase orders…"):
            plans = planning.seed(hub, seeded.admin)
        market = Market()
        stack.callback(market.close)
        market.hub_url = stack.enter_context(served(create_app(hub), port=port))
        market.base_url = stack.enter_context(served(sandbox_app(market)))
        shops = stores.open_all(hub, seeded.admin, market, seeded.reseller_key)
        own_store = next(shop for shop in stores.SHOPS if shop.by_itself)
        console.print(f"{own_store.partner} connected its own store {own_store.code} with its key: "
                      f"{len(market.stores[(own_store.platform, own_store.code)].listings)} listings mapped",
                      soft_wrap=True)
        resold = sorted({sku for shop in shops if shop.code.startswith("shopee-") for sku in shop.listings})
        partners.seed(hub, seeded.admin, resold)
        settlements.seed_terms(hub, seeded.admin)
        settlements.seed_rates(hub, seeded.admin)
        freight = settlements.seed_landed_cost(hub, seeded.admin, plans.received_asn)
        shelves = scan_to_buy.seed(hub, seeded.admin)
        with console.status("the brand's sales of the last weeks, from its previous system…"):
            past = history.seed(hub, seeded.admin, shops)
        console.print(f"sales history {past.first_day} to {past.last_day}: {past.units} units in {past.lines} lines")
        with console.status("the learned forecast learns from that history…"):
            console.print(planning.train_forecast(hub, seeded.admin), soft_wrap=True)
        scanning = shoppers.Shoppers(hub, seeded.admin, market.hub_url).open(stack)
        hub.workers.start()
        stack.callback(hub.workers.stop)
        staff = Actor(tenant_id=seeded.admin.tenant_id, role="operator", name="demo:warehouse")
        store_room = warehouse.Warehouse(hub, staff).open(stack, market.hub_url)
        with console.status("first stock figures to every store…"):
            _settle(hub, pending_pushes, timeout_s=60)
        connected = erp.connect(hub, seeded.admin, stack)
        console.print(f"ERP: the sandbox Odoo at {connected.url}, connected as {erp.CODE}", soft_wrap=True)
        console.print(f"Dashboard: {market.hub_url}/", soft_wrap=True)
        console.print(f"Staff sign-in: {seeded.staff_login}  password: {seeded.staff_password}", soft_wrap=True)
        console.print(f"Admin key: {seeded.admin_key}", soft_wrap=True)
        console.print(f"Reseller key ({brand.RESELLERS[0]}): {seeded.reseller_key}", soft_wrap=True)
        console.print(f"Supplier key: {plans.supplier_key}", soft_wrap=True)
        console.print(f"stores: {shelves.prices} shelf prices, {len(shelves.members)} members with a coupon; "
                      f"scan {next(iter(shelves.shelf_paths))}: {market.hub_url}"
                      f"{next(iter(shelves.shelf_paths.values()))}; staff page {market.hub_url}/store/"
                      f"{next(iter(shelves.shelf_paths))}", soft_wrap=True)
        started = time.monotonic()
        scanning.start()
        tally = _trade(market, console, minutes, speed, spike)
        scanning.stop()
        ships = ", ".join(f"{node} {n}" for node, n in sorted(scanning.shipped_from.items())) or "none"
        day = scanning.day()
        console.print(f"scan-to-buy in the stores: {day.paid} sales paid through WeChat Pay (sandbox): "
                      f"{day.orders['take']} taken now ({day.handed_over['take']} handed over), "
                      f"{day.orders['pickup']} to pick up ({day.handed_over['pickup']} handed over by code), "
                      f"{day.orders['ship']} shipped (from {ships}); {day.waiting} held or short; "
                      f"{scanning.refused} refused", soft_wrap=True)
        dirty = partners.plant(hub, seeded.admin)
        own = partners.reseller_orders(market.hub_url, seeded.reseller_key, resold)
        console.print(f"cleaning: {dirty['held']} dirty orders held, {dirty['refused']} refused, "
                      f"{dirty['taken']} taken; {brand.RESELLERS[0]}'s own orders: {own}", soft_wrap=True)
        paid = resellers.pay_what_is_owed(hub, seeded.admin, brand.RESELLERS[1])
        console.print(f"{paid.partner} paid {paid.amount / 100:.2f} {paid.currency}: {paid.released} orders held "
                      f"over its credit limit released", soft_wrap=True)
        _settle_the_day(hub, staff, console)
        for settled in settlements.import_statements(hub, seeded.admin):
            console.print(f"settlement statement of {settled.channel} ({settled.format}): {settled.lines} lines, "
                          f"{len(settled.planted)} differences planted", soft_wrap=True)
        billed = settlements.carriers_bills(hub, seeded.admin)
        returned = erp.send_back(hub, seeded.admin)
        brought_back = settlements.seed_return_costs(hub, seeded.admin, returned)
        console.print(f"costs: freight {freight / 100:.2f} CNY landed on the mill's receipt; carriers' bills for "
                      f"{billed} waybills; {brought_back / 100:.2f} CNY to bring {len(returned)} returns back",
                      soft_wrap=True)
        with console.status("stock alerts from the day's sales…"):
            planning.raise_alerts(hub, seeded.admin, plans)
        with console.status("the day's documents to the ERP…") as status:
            left = erp.wait(hub, seeded.admin, timeout_s=SETTLE_S,
                            seen=lambda n: status.update(f"the day's documents to the ERP: {n} to send…"))
        console.print(f"returns: {len(returned)} inspected; ERP backlog after the day: {left}", soft_wrap=True)
        for table in summary.tables(hub, seeded.admin, tally, time.monotonic() - started, store_room, plans):
            console.print(table)
        console.print(resellers.table(hub, seeded.admin))
        console.print(erp.table(hub, seeded.admin, connected))
        if serve:
            console.print(f"Dashboard: {market.hub_url}/  (Ctrl-C stops)", soft_wrap=True)
            _wait_for_ctrl_c()


def _seed(hub: Hub, console: Console) -> brand.Brand:
    columns = (TextColumn("seeding the brand"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("seed", total=brand.steps())
        seeded = brand.seed(hub, lambda n: progress.advance(task, n))
    console.print(f"brand [bold]{seeded.code}[/bold]: {len(brand.sku_codes())} SKUs and 2 bundles, "
                  f"{len(brand.NODES)} nodes, {len(stores.SHOPS)} stores, {len(brand.RESELLERS)} resellers")
    return seeded


def _settle_the_day(hub: Hub, staff: Actor, console: Console) -> None:
    """The summary waits for the warehouse and the sync, so it shows what the dashboard shows a minute later."""
    with console.status("the last orders and stock figures settle, the last parcels leave…") as status:
        def seen(now: settle.Waiting) -> None:
            status.update(f"settling: {now.unshipped} orders to ship, {now.pushes} stock figures to push, "
                          f"{now.inbound} messages to take in…")
        left = settle.settle(lambda: settle.waiting(hub, staff), timeout_s=SETTLE_S, seen=seen)
    if left.total:
        console.print(f"still under way after {SETTLE_S} s: {left.unshipped} orders to ship, {left.pushes} stock "
                      f"figures to push, {left.inbound} messages to take in")


def _trade(market: Market, console: Console, minutes: float, speed: float, spike: bool) -> Tally:
    columns = (TextColumn("trading day" + (" with flash sales" if spike else "")), BarColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("day", total=minutes * 60)
        return day.shop(market, minutes=minutes, orders_per_s=10 * speed, spike=spike,
                        advance=lambda elapsed: progress.update(task, completed=elapsed))


def pending_pushes(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return channel_queries.pushes_pending(uow.connection)


def _settle(hub: Hub, waiting: Callable[[Hub], object], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while waiting(hub) and time.monotonic() < deadline:
        time.sleep(0.5)


def _quiet_logs(path: Path) -> None:
    """Workers' warnings (a platform's 429, a stale compare) go to a file, not over the progress bars."""
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    logs.configure(settings.log_level, settings.log_format, stream=path.open("a"))


def _wait_for_ctrl_c() -> None:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
