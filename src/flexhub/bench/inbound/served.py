"""`bench inbound --through http`: signed webhooks posted to `flexhub serve` (its jobs running, as one process
serves a shop), kept raw and answered, then imported by its channel-inbound job; and the same webhooks posted to
the bare reference app (`bare.py`) by the same client under the same server stack, in the same run.

The client posts at full speed on C connections (wrk when installed, else the asyncio client); once every webhook
is answered the bench waits for the server to settle them all. The clock runs from the first message received to
the last settled, both on the server's rows; each message's time from receipt to order is read from them too. The
server's CPU time over that span (its processes, the job included) is divided by the messages.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet

from flexhub.bench.http.client import Posted, Run, post_each
from flexhub.bench.http.run import chosen_client
from flexhub.bench.http.servers import served, server_stack
from flexhub.bench.http.wrk import post_each_wrk
from flexhub.bench.inbound import figures
from flexhub.bench.inbound.sale import Sale, open_sale, signed_webhooks
from flexhub.bench.report import percentile_ms
from flexhub.bootstrap import Hub, bootstrap
from flexhub.settings import Settings

SETTLED_POLL_S = 0.05


@dataclass(frozen=True)
class Served:
    connections: int
    workers: int
    client: str = "auto"
    settle_s: float = 300.0  # longest wait, once every webhook is answered, for the server to import them


def run_served(url: str, options: Served, *, messages: int, channels: int, units: int,
               progress: Callable[[str, int], None], status: Callable[[str], None]) -> dict[str, Any]:
    client = chosen_client(options.client)
    post = post_each_wrk if client == "wrk" else post_each
    secret_key = Fernet.generate_key().decode()
    hub = bootstrap(Settings(database_url=url, secret_key=secret_key))
    try:
        status(f"opening {channels} channels, {units} units of each SKU")
        sale = open_sale(hub, channels, units)
        posts = signed_webhooks(sale, messages)
        env = {"FLEXHUB_DATABASE_URL": url, "FLEXHUB_SECRET_KEY": secret_key}
        status(f"flexhub serve --workers {options.workers}: {messages} signed webhooks")
        with served(["-m", "flexhub.cli.main", "serve"], options.workers, env) as server:
            before = server.cpu_s()
            run = post(server.port, posts, options.connections, lambda done: progress("flexhub", done))
            status("waiting for the server to import them")
            settled = _wait_settled(hub, run.statuses[200], options.settle_s)
            after = server.cpu_s()
        report = {**figures.imported(hub, sale.admin), **_served(run, settled, before, after)}
    finally:
        hub.close()
    status(f"bare FastAPI --workers {options.workers}")
    bare = _bare(sale, posts, post, options, progress)
    messages_per_s = report["messages_per_s"]
    return {**report, "bare_req_per_s": round(_rate(bare), 1), "bare_p99_ms": percentile_ms(bare.latencies, 0.99),
            "ratio": round(messages_per_s / _rate(bare), 3) if messages_per_s else None,
            "workers": options.workers, "connections": options.connections, "client": client,
            "server": server_stack()}


def _wait_settled(hub: Hub, answered: int, limit_s: float) -> figures.Settled:
    deadline = time.monotonic() + limit_s
    while True:
        now = figures.settled(hub)
        if (now.pending == 0 and now.settled >= answered) or time.monotonic() > deadline:
            return now
        time.sleep(SETTLED_POLL_S)


def _served(run: Run, settled: figures.Settled, cpu_before: float | None, cpu_after: float | None) -> dict[str, Any]:
    seconds, answered = settled.seconds, sum(run.statuses.values())
    cpu = None if cpu_before is None or cpu_after is None or not settled.settled else round(
        (cpu_after - cpu_before) * 1000 / settled.settled, 3)
    return {
        "statuses": {str(code): count for code, count in sorted(run.statuses.items())},
        "receipt_per_s": round(answered / run.seconds, 1) if run.seconds else None,
        "receipt_p50_ms": percentile_ms(run.latencies, 0.50), "receipt_p99_ms": percentile_ms(run.latencies, 0.99),
        "seconds": round(seconds, 3) if seconds else None,
        "messages_per_s": round(settled.settled / seconds, 1) if seconds else None,
        "cpu_ms_per_message": cpu,
    }


def _bare(sale: Sale, posts: list[Posted], post: Callable[..., Run], options: Served,
          progress: Callable[[str, int], None]) -> Run:
    env = {"FLEXHUB_BENCH_WEBHOOK_SECRETS": json.dumps(sale.secrets)}
    with served(["-m", "uvicorn", "flexhub.bench.inbound.bare:app"], options.workers, env) as server:
        return post(server.port, posts, options.connections, lambda done: progress("bare", done))


def _rate(run: Run) -> float:
    return sum(run.statuses.values()) / run.seconds if run.seconds else 0.0
