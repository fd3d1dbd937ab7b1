"""`bench inbound`: how fast kept channel messages become imported orders, as the inbound job turns them.

C generic channels list the same SKUs under their own external codes; N messages (webhooks, kept raw as
`receive_webhook` keeps them) are spread over the channels in turn, one single-unit order each, and every
fifth order comes again later as a newer version (paid with a later `updated_at`).

Two ways in: by default every message is kept first and the clock runs from the first `process_pending` turn
to the last that found something (how fast a backlog drains); with `per_second` a thread keeps them at that
rate while the importer turns beside it, woken by each message as the channel-inbound job is, and the clock
runs from the first message kept to the last turn (a sale arriving). Either way each message's time from
receipt to order (kept → settled with its order written, `received_at` → `processed_at`) is reported as p50
and p99 (in backlog mode it is mostly the wait in the backlog). The stock is audited after, so a fast import
that oversold shows as `oversold`, never as speed.
"""

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import machine, percentile_ms
from flexhub.bench.scratch import backend_of, scratch_database, scratch_name
from flexhub.bootstrap import Hub, bootstrap
from flexhub.channels import inbound
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel, ChannelException, InboundMessage
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.settings import Settings
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, order_body, receive

WAREHOUSE = "WH-CENTRAL"
SKUS = 10
UPDATED_EVERY = 5  # every fifth order is sent again, changed, after the others
PLACED = datetime(2026, 11, 11, tzinfo=UTC)


def run_inbound(database_url: str, *, messages: int, channels: int, stock_ratio: float, per_second: float = 0.0,
                status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    database = backend_of(database_url)
    status(f"creating a scratch {database} database")
    with scratch_database(database_url, name=scratch_name("flexhub_bench_inbound")) as url:
        hub = bootstrap(Settings(database_url=url), combine=True)  # as `flexhub serve` runs it
        try:
            orders = messages - messages // (UPDATED_EVERY + 1)
            admin, stores = _open_shop(hub, channels, max(1, round(orders * stock_ratio / SKUS)))
            if per_second:
                status(f"keeping {messages} messages over {channels} channels at {per_second:g}/s, importing beside")
                seconds, turns = _import_as_they_arrive(hub, stores, messages, per_second)
            else:
                status(f"keeping {messages} messages over {channels} channels")
                _keep_messages(hub, stores, messages)
                status("importing")
                seconds, turns = _import_backlog(hub)
            report = _report(hub, admin, database, messages, channels, seconds, turns)
            return {**report, "messages_per_s_offered": per_second or None}
        finally:
            hub.close()


def _import_backlog(hub: Hub) -> tuple[float, int]:
    started, turns = time.perf_counter(), 0
    while inbound.process_pending(hub):
        turns += 1
    return time.perf_counter() - started, turns


def _import_as_they_arrive(hub: Hub, stores: list[Any], messages: int, per_second: float) -> tuple[float, int]:
    """Turns while a thread keeps the messages at `per_second`; a turn that finds nothing waits for the next."""
    arrived = threading.Event()
    keeper = threading.Thread(target=_keep_messages, args=(hub, stores, messages),
                              kwargs={"per_second": per_second, "arrived": arrived}, name="bench-webhooks")
    started, turns = time.perf_counter(), 0
    keeper.start()
    while True:
        arrived.clear()
        if inbound.process_pending(hub):
            turns += 1
            continue
        if not keeper.is_alive() and not inbound.process_pending(hub):
            break
        arrived.wait(0.05)
    keeper.join()
    return time.perf_counter() - started, turns


def _open_shop(hub: Hub, channels: int, units: int) -> tuple[Actor, list[Any]]:
    admin = create_tenant(hub, code="bench", name="Benchmark brand")
    create_location(hub, admin, WAREHOUSE, priority=10)
    codes = [f"SKU-{n:03d}" for n in range(SKUS)]
    for code in codes:
        create_sku(hub, admin, code)
        receive(hub, admin, code, WAREHOUSE, units)
    for n in range(channels):
        create_channel(hub, admin, f"store-{n}")
        for code in codes:
            hub.handle(CreateListing(actor=admin, channel=f"store-{n}", external_sku=f"{n}-{code}", sku=code))
    with hub.uow(write=False) as uow:
        stores = list(uow.connection.execute(select(Channel).where(Channel.tenant_id == admin.tenant_id)
                                             .order_by(Channel.code)))
    return admin, stores


def _keep_messages(hub: Hub, stores: list[Any], messages: int, *, per_second: float = 0.0,
                   arrived: threading.Event | None = None) -> None:
    """Creates first, over the channels in turn; then the newer versions of every fifth order, as a sale brings
    its payments in after its orders. With `per_second`, message k is kept no sooner than k / per_second after
    the first (as soon as it can be when behind), and `arrived` set after each."""
    creates = messages - messages // (UPDATED_EVERY + 1)
    sent = [(n, False) for n in range(creates)] + [(n, True) for n in range(0, creates, UPDATED_EVERY)][
        : messages - creates]
    started = time.perf_counter()
    for k, (n, paid) in enumerate(sent):
        if per_second and (ahead := started + k / per_second - time.perf_counter()) > 0:
            time.sleep(ahead)
        inbound.keep(hub, stores[n % len(stores)], "webhook", {}, json.dumps(_order(stores, n, paid=paid)))
        if arrived is not None:
            arrived.set()


def _order(stores: list[Any], n: int, *, paid: bool) -> dict[str, Any]:
    channel = n % len(stores)
    moment = PLACED + timedelta(seconds=n)
    return order_body(f"B-{n:06d}", lines=[{"sku": f"{channel}-SKU-{n % SKUS:03d}", "quantity": 1,
                                           "unit_price": 9900}],
                      payment_state="paid" if paid else "pending", placed_at=moment.isoformat(),
                      updated_at=(moment + timedelta(minutes=1 if paid else 0)).isoformat())


def _report(hub: Hub, admin: Actor, database: str, messages: int, channels: int, seconds: float,
            turns: int) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        connection = uow.connection
        stock = audit_stock(connection, admin.tenant_id)
        orders = connection.execute(select(func.count()).select_from(Order)).scalar_one()
        paid = connection.execute(select(func.count()).where(Order.payment_state == "paid")).scalar_one()
        pending = connection.execute(select(func.count()).where(InboundMessage.state == "pending")).scalar_one()
        exceptions = connection.execute(select(func.count()).select_from(ChannelException)).scalar_one()
        waits = [(settled - received).total_seconds() for received, settled in connection.execute(
            select(InboundMessage.received_at, InboundMessage.processed_at)
            .where(InboundMessage.state == "done", InboundMessage.processed_at.is_not(None))) if settled is not None]
    return {
        "scenario": "inbound", "database": database, "messages": messages, "channels": channels,
        "orders_imported": orders, "orders_paid_by_update": paid, "messages_left_pending": pending,
        "channel_exceptions": exceptions, "oversold": stock.oversold, "reserved_units": stock.reserved,
        "orders_reserved_in_database": stock.orders_reserved, "stock": stock.received,
        "seconds": round(seconds, 3), "turns": turns,
        "messages_per_s": round(messages / seconds, 1), "orders_per_s": round(orders / seconds, 1),
        "p50_receipt_to_order_ms": percentile_ms(waits, 0.50), "p99_receipt_to_order_ms": percentile_ms(waits, 0.99),
        "max_receipt_to_order_ms": percentile_ms(waits, 1.0),
        "reserving_transactions": stock.reserving_transactions, "machine": machine(),
    }
