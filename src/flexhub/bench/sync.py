"""`bench sync`: a flash sale through the sandbox marketplaces, timed from the hub's commits to the stores.

N stores (the platforms in turn) each list the same M SKUs; every SKU holds a share of the units
the K orders ask for (`stock_ratio`), so the sale sells out. Buyers order one unit at a time in
random stores at a rate with spikes; the stores send or serve their orders as their platforms do,
the hub imports and reserves them, and pushes each new figure to every store. When the hub has
imported every accepted order and every store shows the hub's figure (or `settle_s` passed), the
figures are computed (sync_figures) from the hub's StockChanged events and the sandbox's logs.
Before the sale two things are timed against the floor the platforms' limits allow (sync_floor): the first sync
(`initial_sync_s`: every listing's first figure, set up with the pusher held, then released) and a full
reconciliation of every channel side by side (`reconcile_s`). Then the sale is announced ahead (`announce`, as a
live room's flash sale is scheduled: sync_announce), or not (`--no-announce`: a sale beginning unannounced).
The hub runs in the bench's process (`hub="one-process"`) or in its real process roles (`"processes"`: `flexhub
serve --no-jobs` and `flexhub worker`, sync_roles), the sandbox and buyers staying here; the CPU each process spent
is reported beside the figures.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from flexhub.bench import sync_figures as figures
from flexhub.bench.report import machine, percentile_ms
from flexhub.bench.scratch import backend_of, scratch_database, scratch_name
from flexhub.bench.sync_announce import announce, default_announce_s, held_at_the_start, wait_for_the_start
from flexhub.bench.sync_drift import drift_traces
from flexhub.bench.sync_floor import channel_floors, floors
from flexhub.bench.sync_roles import HubRoles, hub_in
from flexhub.catalog.model import Sku
from flexhub.channels import polling
from flexhub.channels.model import Channel, InboundMessage, StockPush
from flexhub.db.outbox import OutboxEvent
from flexhub.inventory.model import StockLevel
from flexhub.kernel.clock import as_utc
from flexhub.ordering.model import Order
from flexhub.sandbox.buyers import Buyers
from flexhub.sandbox.platforms import amazon_feeds, available
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.settings import Settings
from flexhub.sync.push_calls import NEAR_ZERO
from flexhub.sync.reconcile import reconcile_channels
from flexhub.testing.builders import create_location, create_sku, receive

WAREHOUSE = "WH-CENTRAL"
SELLING_S = 5.0  # a store that sold a SKU this recently is selling it: its falls are urgent (the spike's window)
NOT_SELLING = ("amazon",)  # its orders reach the hub minutes late (searchOrders settles two minutes)


def default_platforms() -> tuple[str, ...]:
    return tuple(available())


@dataclass(frozen=True)
class SyncOptions:
    database_url: str
    channels: int
    listings: int
    orders: int
    platforms: tuple[str, ...]
    per_second: float = 200.0
    spike: bool = True
    stock_ratio: float = 0.8
    settle_s: float | None = None  # None: default_settle_s
    hub: str = "one-process"
    announce: bool = True
    announce_s: float | None = None  # how long ahead; None: the slowest store's lead (sync_announce)


def run_sync(options: SyncOptions, *, progress: Callable[[int], None] | None = None,
             status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    database = backend_of(options.database_url)
    status(f"creating a scratch {database} database")
    with scratch_database(options.database_url, name=scratch_name("flexhub_bench_sync")) as url, \
            hub_in(options.hub, url) as (stage, roles):
        skus = [f"SKU-{n:04d}" for n in range(options.listings)]
        stock = max(1, round(options.orders * options.stock_ratio / len(skus)))
        status(f"opening {options.channels} stores with {len(skus)} listings each, {stock} units per SKU")
        initial_sync_s, by_store = _open_shop(stage, roles, options, skus, stock, status)
        status("reconciling every channel")
        scale = {"initial_sync_s": round(initial_sync_s, 3), "initial_sync_by_channel_s": by_store,
                 **_reconcile_all(stage)}
        scale["floor_s"] = floors(list(stage.market.stores.values()), _processing_s)
        scale["floor_by_channel_s"] = channel_floors(list(stage.market.stores.values()), _processing_s)
        scale["floor_formula"] = "max over channels of max(0, calls - burst) / per_second (+ a feed's processing)"
        scale["sale_round_formula"] = ("calls to send every listing one figure by single calls / (0.9 x per_second): "
                                       "the longest a figure waits when every listing moves each round")
        buyers = Buyers(stage.market, per_second=options.per_second, spike=options.spike)
        announced = {"announced": False}
        if options.announce:
            ahead_s = options.announce_s if options.announce_s is not None else default_announce_s(
                floor["sale_round"] for floor in scale["floor_by_channel_s"].values())
            status(f"announcing the sale {ahead_s:g} s ahead")
            sale = announce(stage, skus, orders=options.orders, mean_rate=buyers.mean_rate(), ahead_s=ahead_s)
            announced = sale.report()
            wait_for_the_start(sale)
        started, cpu_before = time.time(), roles.cpu_s()
        status(f"selling {options.orders} orders at {options.per_second}/s" + (" with spikes" if options.spike else ""))
        tally = buyers.run(options.orders, progress)
        sold = time.time()
        status("waiting for the hub to import every order and every store to show its figure")
        settle_s = options.settle_s if options.settle_s is not None else default_settle_s(
            floor["sale_round"] for floor in scale["floor_by_channel_s"].values())
        settled = _settle(stage, len(tally.placed), settle_s)
        cpu = {name: _spent(cpu_before[name], spent) for name, spent in roles.cpu_s().items()}
        report = _report(stage, options, database, {sku: stock for sku in skus}, _stock_changes(stage), tally,
                         started, sold, settled)
        return {**report, **scale, **announced, "hub": options.hub, "rate_limited": roles.rate_limited(), "cpu_s": cpu,
                "failed_jobs": roles.failed_jobs(), "job_errors": roles.job_errors()}


def _spent(before: float | None, after: float | None) -> float | None:
    """CPU seconds a process spent over the sale and settling."""
    return None if before is None or after is None else round(after - before, 1)


def _open_shop(stage: Stage, roles: HubRoles, options: SyncOptions, skus: list[str], stock: int,
               status: Callable[[str], None]) -> tuple[float, dict[str, float]]:
    """Stores opened and stocked with the pusher held, then the first sync alone, timed: its seconds, and each
    store's (from the release to the moment every listing of the store showed the hub's figure)."""
    create_location(stage.hub, stage.admin, WAREHOUSE, priority=10)
    for sku in skus:
        create_sku(stage.hub, stage.admin, sku)
    roles.hold()
    for n in range(options.channels):
        platform = options.platforms[n % len(options.platforms)]
        stage.open(platform, f"{platform}-{n // len(options.platforms) + 1}", skus, sells=platform not in NOT_SELLING)
    for sku in skus:  # received once every store lists it, so the first figures go out to all
        receive(stage.hub, stage.admin, sku, WAREHOUSE, stock)
    total = options.channels * len(skus)
    wait_until(lambda: _planned(stage) == total, timeout_s=max(60.0, total / 50))
    status(f"first sync of {total} listings")
    roles.release()
    started = time.monotonic()
    done: dict[str, float] = {}

    def every_store_done() -> bool:
        available = _available(stage)
        for store in stage.market.stores.values():
            if store.code not in done and all(listing.quantity == available.get(sku, 0)
                                              for sku, listing in store.listings.items()):
                done[store.code] = round(time.monotonic() - started, 3)
        return len(done) == len(stage.market.stores)

    wait_until(every_store_done, timeout_s=max(60.0, total / 5), every_s=0.2)
    return time.monotonic() - started, dict(sorted(done.items()))


def _planned(stage: Stage) -> int:
    """Listings whose first figure (every SKU holds stock) is decided and waiting."""
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(StockPush)
                                      .where(StockPush.quantity > 0)).scalar_one()


def _reconcile_all(stage: Stage) -> dict[str, Any]:
    channels = [polling.channel_by_code(stage.hub, stage.admin.tenant_id, store.code)
                for store in stage.market.stores.values()]
    started = time.monotonic()
    found = reconcile_channels(stage.hub, channels, trigger="request", settle_s=0)
    return {"reconcile_s": round(time.monotonic() - started, 3),
            "reconcile_by_channel_s": {run["channel"]: _seconds(run) for run in
                                       sorted(filter(None, found), key=lambda run: run["channel"])},
            "reconcile_listings_read": sum(run["listings_read"] for run in found if run),
            "reconcile_unread": sum(run["unread"] for run in found if run),
            "reconcile_failed_channels": sum(run is None for run in found)}


def _seconds(run: dict[str, Any]) -> float:
    return round((run["finished_at"] - run["started_at"]).total_seconds(), 3)


def _processing_s(platform: str) -> float:
    """How long the sandbox platform takes to process a bulk feed (only Amazon takes them)."""
    return amazon_feeds.PROCESSING_S if platform == "amazon" else 0.0


def _stock_changes(stage: Stage) -> list[figures.Change]:
    """Every StockChanged the hub committed, read from its outbox: a subscriber to the transport sees only what the
    relay has published so far, which on a loaded box lagged the commits by tens of seconds, so the report missed
    the sale's last changes and read stale figures as the hub's (an oversold order then looked unexplained)."""
    with stage.hub.uow(write=False) as uow:
        codes = {str(sku_id): code for sku_id, code in uow.connection.execute(
            select(Sku.id, Sku.code).where(Sku.tenant_id == stage.admin.tenant_id))}
        events = uow.connection.execute(select(OutboxEvent.occurred_at, OutboxEvent.body)
                                        .where(OutboxEvent.type == "StockChanged")).all()
    return [figures.Change(as_utc(at).timestamp(), codes[level["sku_id"]], max(0, level["available"]))
            for at, body in events for level in body["levels"]]  # SQLite hands back naive UTC


def default_settle_s(sale_rounds_s: Iterable[float], settings: Settings | None = None) -> float:
    """Long enough at the end for the holds to end and every store to be given its figures back: the listings hold
    back at the pace of the sales within the pace's window (FLEXHUB_HOLD_BACK_SALES_WINDOW_S) after the last one, and
    the slowest store then takes a round to raise every listing (Amazon, 200 SKUs: 44 s), twice for the figures moving
    meanwhile; no less than 60 s. A run that settles sooner ends sooner."""
    settings = settings or Settings()
    return round(max(60.0, settings.hold_back_sales_window_s + 2 * max(sale_rounds_s, default=0.0)), 1)


def _settle(stage: Stage, accepted: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        stage.market.courier.drain(timeout=0)
        if _imported(stage) >= accepted and _waiting(stage) == 0 and _drift(stage) == 0:
            return True
        time.sleep(0.1)
    return False


def _imported(stage: Stage) -> int:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(Order)).scalar_one()


def _waiting(stage: Stage) -> int:
    return sum(_waiting_by_kind(stage).values())


def _waiting_by_kind(stage: Stage) -> dict[str, int]:
    """Channel messages kept and not imported, and figures not confirmed by their stores."""
    with stage.hub.uow(write=False) as uow:
        inbound = uow.connection.execute(select(func.count()).select_from(InboundMessage)
                                         .where(InboundMessage.state == "pending")).scalar_one()
        pushes = uow.connection.execute(select(func.count()).select_from(StockPush)
                                        .where(StockPush.state.in_(("pending", "feeding")))).scalar_one()
    return {"inbound": inbound, "pushes": pushes}


def _available(stage: Stage) -> dict[str, int]:
    with stage.hub.uow(write=False) as uow:
        rows = uow.connection.execute(
            select(Sku.code, func.sum(StockLevel.on_hand - StockLevel.reserved - StockLevel.safety))
            .join(Sku, Sku.id == StockLevel.sku_id).where(StockLevel.tenant_id == stage.admin.tenant_id)
            .group_by(Sku.code)).all()
    return {code: max(0, int(units)) for code, units in rows}


def _drift(stage: Stage) -> int:
    return sum(_drift_by_store(stage).values())


def _drift_by_store(stage: Stage) -> dict[str, int]:
    """Units each store shows beyond or short of the hub's figure, added up over its listings."""
    available = _available(stage)
    return {store.code: sum(abs(listing.quantity - available.get(sku, 0)) for sku, listing in store.listings.items())
            for store in stage.market.stores.values()}


def _drifting_skus(stage: Stage, most: int = 10) -> dict[str, dict[str, int]]:
    """A few SKUs some store shows differently from the hub: the hub's figure and each store's."""
    available, found = _available(stage), {}
    for sku in sorted({sku for store in stage.market.stores.values() for sku in store.listings}):
        shown = {store.code: store.listings[sku].quantity for store in stage.market.stores.values()
                 if sku in store.listings}
        if any(quantity != available.get(sku, 0) for quantity in shown.values()):
            found[sku] = {"hub": available.get(sku, 0), **shown}
            if len(found) >= most:
                break
    return found


def _imported_at(found: tuple[str, Any] | None) -> float | None:
    return None if found is None else found[1].timestamp()


def _report(stage: Stage, options: SyncOptions, database: str, initial: dict[str, int], changes: list,
            tally: Any, started: float, sold: float, settled: bool) -> dict[str, Any]:
    stores = list(stage.market.stores.values())
    received = [figures.Received(s.code, s.platform.name, f.sku, f.quantity, f.at.timestamp())
                for s in stores for f in s.figures if f.at.timestamp() >= started]
    sale_changes = [c for c in changes if c.at >= started]
    listed = {sku: [s.code for s in stores] for sku in initial}
    changed = figures.changes_made(sale_changes, initial, {sku: len(stores) for sku in initial})
    with stage.hub.uow(write=False) as uow:
        imported = {(code, external): (status, as_utc(created)) for code, external, status, created in
                    uow.connection.execute(select(Channel.code, Order.external_id, Order.status, Order.created_at)
                                           .join(Channel, Channel.id == Order.channel_id))}
    statuses = {key: status for key, (status, _) in imported.items()}
    sales = [figures.Sale(store.code, order.lines[0].listing.sku, order.lines[0].quantity, order.placed_at.timestamp(),
                          statuses.get((store.code, order.external_id)), order.external_id,
                          _imported_at(imported.get((store.code, order.external_id)))) for store, order in tally.placed]
    # From a buyer's order in a store to the hub holding it: what a store's figure waits on before it can drop.
    import_lags: dict[str, list[float]] = {}
    for store, order in tally.placed:
        if (key := (store.code, order.external_id)) in imported:
            import_lags.setdefault(store.platform.name, []).append((imported[key][1] - order.placed_at).total_seconds())
    every_lag = [lag for lags in import_lags.values() for lag in lags]
    with stage.hub.uow(write=False) as uow:  # the hub's own share of it: from keeping a message to settling it
        kept = [(as_utc(done) - as_utc(at)).total_seconds() for at, done in uow.connection.execute(
            select(InboundMessage.received_at, InboundMessage.processed_at)
            .where(InboundMessage.processed_at.is_not(None))) if done is not None]
    stale = figures.oversold(sales, sale_changes, initial)
    # Every figure each store received, from before the sale too: the one a store sold on may predate it.
    shown = [figures.Received(s.code, s.platform.name, f.sku, f.quantity, f.at.timestamp())
             for s in stores for f in s.figures]
    explained = figures.explain_oversold(sales, sale_changes, initial, started, shown)
    drifting = _drifting_skus(stage)
    courier = stage.market.courier
    with stage.hub.uow(write=False) as uow:
        dead = uow.connection.execute(
            select(func.count()).select_from(StockPush).where(StockPush.state == "dead")).scalar()
    return {
        "scenario": "sync", "database": database, "channels": options.channels, "listings": options.listings,
        "orders": options.orders, "platforms": sorted({s.platform.name for s in stores}),
        **figures.lags(sale_changes, shown, listed, {s.code: s.platform.name for s in stores},
                       figures.urgency_of(sales, NEAR_ZERO, SELLING_S), started),
        "changes": changed, "pushes": len(received), "coalescing_ratio": round(changed / len(received), 2) if received
        else None,
        "sandbox_throttled": sum(s.throttled for s in stores), "oversold": sum(stale.values()),
        # Each 429 a store answered: which call, and when (seconds from the sale's start; below 0, before it).
        "throttled_calls": [{"store": s.code, "operation": e.operation, "at_s": round(e.at.timestamp() - started, 3)}
                            for s in stores for e in list(s.log) if e.status == 429 and not e.outbound],
        "oversold_detail": stale, "oversold_orders": explained,
        "oversold_unexplained": sum(not order["explained"] for order in explained),
        "drift": _drift(stage), "settled": settled, "dead_letters": dead, "waiting_at_the_end": _waiting_by_kind(stage),
        "drifting_skus": drifting, "drift_traces": drift_traces(stage, drifting, started, sales),
        "orders_accepted_by_stores": len(tally.placed), "orders_refused_by_stores": tally.refused,
        "orders_refused_by_store": {s.code: s.refused for s in stores},
        "held_at_the_start_by_store": held_at_the_start(initial, shown, started),
        "units_held_at_the_end": sum(_available(stage).values()),
        "orders_imported": len(statuses), "orders_by_status": dict(Counter(statuses.values())),
        "import_lag_p50_ms": percentile_ms(every_lag, 0.5), "import_lag_p99_ms": percentile_ms(every_lag, 0.99),
        "kept_to_settled_p50_ms": percentile_ms(kept, 0.5), "kept_to_settled_p99_ms": percentile_ms(kept, 0.99),
        # The part of it before the hub keeps a message: waiting in the sandbox's courier, then the hub's answer.
        "webhook_waited_p50_ms": percentile_ms(courier.waited_s, 0.5),
        "webhook_waited_p99_ms": percentile_ms(courier.waited_s, 0.99),
        "webhook_answer_p50_ms": percentile_ms(courier.answered_s, 0.5),
        "webhook_answer_p99_ms": percentile_ms(courier.answered_s, 0.99), "courier_threads": courier.threads,
        "drift_by_store": _drift_by_store(stage),
        "import_lag_by_platform": {name: {"p50_ms": percentile_ms(lags, 0.5), "p99_ms": percentile_ms(lags, 0.99)}
                                   for name, lags in sorted(import_lags.items())},
        "stock_per_sku": next(iter(initial.values())),
        # Measured: the orders the buyers placed (taken or refused by the stores) over the sale's seconds;
        # the target is the --orders-per-s setting between spikes, which the buyers may not reach.
        "orders_per_s": round((len(tally.placed) + tally.refused) / (sold - started), 1) if sold > started else None,
        "orders_per_s_target": options.per_second, "spike": options.spike,
        "sale_seconds": round(sold - started, 3), "seconds": round(time.time() - started, 3), "machine": machine(),
    }
