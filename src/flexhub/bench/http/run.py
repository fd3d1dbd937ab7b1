"""One HTTP run: a scratch database with one hot SKU, `flexhub serve --no-jobs --workers W` on it, the bare app
(`bare.py`) under the same uvicorn with the same workers, and both loaded in turn by the same client
(`client.py`) with the same number of orders and connections. The stock is audited afterwards for oversold."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
from cryptography.fernet import Fernet

from flexhub.bench.http.client import Run, post_all
from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import machine, percentile_ms
from flexhub.bench.scratch import backend_of, scratch_database
from flexhub.bench.shop import CHANNEL, open_shop
from flexhub.bootstrap import bootstrap
from flexhub.identity.commands import CreateApiKey
from flexhub.settings import Settings

SKU = "LIVE-HOT-1"
PATH = "/api/v1/orders"
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class HttpOptions:
    database_url: str
    orders: int
    connections: int
    workers: int
    stock: int


def run_http(options: HttpOptions, *, progress: Callable[[str, int], None] = lambda _s, _n: None,
             status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    bodies = [_order(n) for n in range(options.orders)]
    secret_key = Fernet.generate_key().decode()
    with scratch_database(options.database_url) as url:
        hub = bootstrap(Settings(database_url=url, secret_key=secret_key))
        try:
            status(f"seeding {SKU} with {options.stock} units")
            shop = open_shop(hub, {SKU: options.stock})
            token = hub.handle(CreateApiKey(actor=shop.admin, role="operator", name="bench-http")).token
            env = {"FLEXHUB_DATABASE_URL": url, "FLEXHUB_SECRET_KEY": secret_key}
            status(f"flexhub serve --workers {options.workers}")
            with _served(["-m", "flexhub.cli.main", "serve", "--no-jobs"], options.workers, env) as port:
                hub_run = post_all(port, PATH, bodies, {"authorization": f"Bearer {token}"}, options.connections,
                                   lambda done: progress("flexhub", done))
            with hub.uow(write=False) as uow:
                stock = audit_stock(uow.connection, shop.admin.tenant_id)
        finally:
            hub.close()
    status(f"bare FastAPI --workers {options.workers}")
    with _served(["-m", "uvicorn", "flexhub.bench.http.bare:app"], options.workers, {}) as port:
        bare_run = post_all(port, PATH, bodies, {}, options.connections, lambda done: progress("bare", done))
    return _report(options, hub_run, bare_run, stock)


def _report(options: HttpOptions, hub_run: Run, bare_run: Run, stock: Any) -> dict[str, Any]:
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
        "statuses": {str(code): count for code, count in sorted(hub_run.statuses.items())},
        "bare_req_per_s": round(bare_per_s, 1), "bare_p99_ms": percentile_ms(bare_run.latencies, 0.99),
        "ratio": round(orders_per_s / bare_per_s, 3),
        "client": "asyncio keep-alive (flexhub.bench.http.client), in this process",
        "machine": machine(), "loadavg": list(os.getloadavg()),
    }


def _order(n: int) -> dict[str, Any]:
    return {"channel": CHANNEL, "external_id": f"LIVE-{n}", "currency": "CNY", "on_shortage": "reject",
            "buyer": {"name": f"buyer {n}"},
            "shipping_address": {"country": "CN", "province": "浙江省", "city": "杭州市", "line1": "文三路 90 号"},
            "lines": [{"sku": SKU, "quantity": 1, "unit_price": 9900}]}


@contextmanager
def _served(command: list[str], workers: int, env: dict[str, str]) -> Iterator[int]:
    """Start a server on a free loopback port with `--workers`, wait until it answers, stop it after."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, *command, "--host", "127.0.0.1", "--port", str(port),
                                "--workers", str(workers)],
                               env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it answered")
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1.0).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {START_TIMEOUT_S} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
