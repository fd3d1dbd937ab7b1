"""One HTTP run: a scratch database with one hot SKU, `flexhub serve --no-jobs --workers W` on it, the bare app
(`bare.py`) under the same uvicorn with the same workers, and both loaded in turn by the same client (wrk when
installed, `wrk.py`; else the asyncio client, `client.py`) with the same number of orders and connections. The stock
is audited afterwards for oversold. Each server's CPU time over its load, divided by the requests it answered, is
reported beside the rates (`cpu_ms_per_order`, `bare_cpu_ms_per_req`), and on PostgreSQL on this machine so is its
backends' (`database_cpu_ms_per_order`); with the client's, that is the CPU an order costs the box
(`box_cpu_ms_per_order`), and the cores divided by it bound what the box can take (`box_ceiling_per_s`), whatever
the code's waits. The floor (`floor_cpu_ms_per_order`) is what an order would cost the box with no flexhub code at
all: the bare app's server CPU a request, the client's for it in the bare run, and the database's per order in this
run (at this run's batch size); `floor_ceiling_per_s` is the box's ceiling at that cost and
`flexhub_cpu_ms_per_order` the rest of the box's figure, flexhub's own. How many backends waited on a lock
meanwhile, on average, beside how many were running a statement (`lock_waits.py`), says whether writers queue on the
hot row, and the orders accepted per transaction committed meanwhile (`orders_per_commit`) how large the writers'
batches were. A server counts as up once it answers and its processes are at rest (`servers.py`), so a worker still
starting does not share the cores with the load."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet

from flexhub.bench.box_cpu import box_ceiling, database_cpu_s, floor, loaded, per_item_ms, spent
from flexhub.bench.http.client import Run, post_all
from flexhub.bench.http.lock_waits import commits, lock_waits
from flexhub.bench.http.servers import served, server_stack
from flexhub.bench.http.wrk import find_wrk, post_all_wrk
from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import machine, percentile_ms
from flexhub.bench.scratch import backend_of, scratch_database
from flexhub.bench.shop import CHANNEL, open_shop
from flexhub.bootstrap import bootstrap
from flexhub.identity.commands import CreateApiKey
from flexhub.settings import Settings

SKU = "LIVE-HOT-1"
PATH = "/api/v1/orders"
CLIENTS = ("auto", "wrk", "asyncio")
FLOOR = ("floor_cpu_ms_per_order", "floor_ceiling_per_s", "flexhub_cpu_ms_per_order")
LOG_FORMAT = "json"  # as the image runs it (Dockerfile): a line per request for a collector, not for a terminal


@dataclass(frozen=True)
class HttpOptions:
    database_url: str
    orders: int
    connections: int
    workers: int
    stock: int
    client: str = "auto"  # wrk when installed, else asyncio


def chosen_client(asked: str) -> str:
    if asked not in CLIENTS:
        raise ValueError(f"the client is one of {', '.join(CLIENTS)}, not {asked}")
    if asked == "auto":
        return "wrk" if find_wrk() else "asyncio"
    if asked == "wrk" and not find_wrk():
        raise ValueError("wrk is not installed (Debian: apt-get install wrk, or make wrk)")
    return asked


def run_http(options: HttpOptions, *, progress: Callable[[str, int], None] = lambda _s, _n: None,
             status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    client = chosen_client(options.client)
    post = post_all_wrk if client == "wrk" else post_all
    bodies = [_order(n) for n in range(options.orders)]
    secret_key = Fernet.generate_key().decode()
    with scratch_database(options.database_url) as url:
        hub = bootstrap(Settings(database_url=url, secret_key=secret_key))
        try:
            status(f"seeding {SKU} with {options.stock} units")
            shop = open_shop(hub, {SKU: options.stock})
            token = hub.handle(CreateApiKey(actor=shop.admin, role="operator", name="bench-http")).token
            env = {"FLEXHUB_DATABASE_URL": url, "FLEXHUB_SECRET_KEY": secret_key, "FLEXHUB_LOG_FORMAT": LOG_FORMAT}
            status(f"flexhub serve --workers {options.workers}")
            with served(["-m", "flexhub.cli.main", "serve", "--no-jobs"], options.workers, env) as server:
                backends_before, commits_before = database_cpu_s(hub.engine), commits(hub.engine)
                with lock_waits(hub.engine) as waits:
                    hub_run, hub_cpu_s, client_s = loaded(server, lambda: post(
                        server.port, PATH, bodies, {"authorization": f"Bearer {token}"}, options.connections,
                        lambda done: progress("flexhub", done)))
                database_s = spent(backends_before, database_cpu_s(hub.engine))
            committed = _difference(commits_before, commits(hub.engine))  # its backends ended: all reported
            with hub.uow(write=False) as uow:
                stock = audit_stock(uow.connection, shop.admin.tenant_id)
        finally:
            hub.close()
    status(f"bare FastAPI --workers {options.workers}")
    with served(["-m", "uvicorn", "flexhub.bench.http.bare:app"], options.workers, {}) as server:
        bare_run, bare_cpu_s, bare_client_s = loaded(server, lambda: post(
            server.port, PATH, bodies, {}, options.connections, lambda done: progress("bare", done)))
    box = _ceiling(hub_cpu_s, database_s, client_s, hub_run)
    bare_ms, bare_client_ms = _per_request_ms(bare_cpu_s, bare_run), _per_request_ms(bare_client_s, bare_run)
    database_ms = _per_request_ms(database_s, hub_run)
    return {**_report(options, client, hub_run, bare_run, stock),
            "cpu_ms_per_order": _per_request_ms(hub_cpu_s, hub_run),
            "database_cpu_ms_per_order": database_ms,
            "client_cpu_ms_per_order": _per_request_ms(client_s, hub_run),
            **box,
            "bare_cpu_ms_per_req": bare_ms, "bare_client_cpu_ms_per_req": bare_client_ms,
            **dict(zip(FLOOR, floor(box["box_cpu_ms_per_order"], bare_ms, bare_client_ms, database_ms), strict=True)),
            "backends_waiting_on_locks": waits["lock_waiting"], "backends_active": waits["active"],
            "orders_per_commit": round(hub_run.statuses[201] / committed, 1) if committed else None}


def _difference(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


def _ceiling(server_s: float | None, database_s: float | None, client_s: float, run: Run) -> dict[str, Any]:
    box_ms, ceiling = box_ceiling(server_s, database_s, client_s, sum(run.statuses.values()))
    return {"box_cpu_ms_per_order": box_ms, "box_ceiling_per_s": ceiling}


def _per_request_ms(cpu_s: float | None, run: Run) -> float | None:
    return per_item_ms(cpu_s, sum(run.statuses.values()))


def _report(options: HttpOptions, client: str, hub_run: Run, bare_run: Run, stock: Any) -> dict[str, Any]:
    answered = sum(hub_run.statuses.values())
    accepted = hub_run.statuses[201]
    orders_per_s = answered / hub_run.seconds
    bare_per_s = sum(bare_run.statuses.values()) / bare_run.seconds
    return {
        "scenario": "http", "database": backend_of(options.database_url), "workers": options.workers,
        "connections": options.connections, "orders": options.orders, "stock": options.stock,
        "orders_per_s": round(orders_per_s, 1), "accepted_per_s": round(accepted / hub_run.seconds, 1),
        "p50_ms": percentile_ms(hub_run.latencies, 0.50), "p99_ms": percentile_ms(hub_run.latencies, 0.99),
        "oversold": stock.oversold, "accepted": accepted, "reserved_units": stock.reserved,
        "answers": _answers(hub_run),
        "statuses": {str(code): count for code, count in sorted(hub_run.statuses.items())},
        "bare_req_per_s": round(bare_per_s, 1), "bare_p99_ms": percentile_ms(bare_run.latencies, 0.99),
        "ratio": round(orders_per_s / bare_per_s, 3), "log_format": LOG_FORMAT,
        "client": client, "server": server_stack(), "machine": machine(),
        "loadavg": [round(figure, 2) for figure in os.getloadavg()],
    }


def _order(n: int) -> dict[str, Any]:
    return {"channel": CHANNEL, "external_id": f"LIVE-{n}", "currency": "CNY", "on_shortage": "reject",
            "buyer": {"name": f"buyer {n}"},
            "shipping_address": {"country": "CN", "province": "浙江省", "city": "杭州市", "line1": "文三路 90 号"},
            "lines": [{"sku": SKU, "quantity": 1, "unit_price": 9900}]}


def _answers(run: Run) -> dict[str, int]:
    """Accepted (201), refused on the last units (409), and every other status together."""
    accepted, refused = run.statuses[201], run.statuses[409]
    return {"201": accepted, "409": refused, "other": sum(run.statuses.values()) - accepted - refused}
