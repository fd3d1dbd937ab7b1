"""`bench inbound --through http`: signed webhooks posted to flexhub (`--topology one`: `flexhub serve` with its jobs,
as one process serves a shop; `split`: an API process, the import in a worker of its own and the other jobs in
another, topology.py), kept raw and answered, then imported by the channel-inbound job; and the same webhooks posted
to the bare reference app (`bare.py`) by the same client under the same server stack, in the same run.

The client posts at full speed on C connections (wrk when installed, else the asyncio client); once every webhook
is answered the bench waits for the server to settle them all. The clock runs from the first message received to
the last settled, both on the server's rows; each message's time from receipt to order is read from them too. The
CPU time over that span of flexhub's processes (each, and together), of the database's backends (PostgreSQL on this
machine) and of the client is divided by the messages: with the box's cores, that bounds what the box could take.
The floor (`floor_cpu_ms_per_message`) is what a message would cost with no flexhub code: the bare app's CPU a
webhook (its signature checked) with the client's share, and the database's per message in this run (the raw body
kept, the order written); `flexhub_cpu_ms_per_message` is the rest of the box's figure.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet

from flexhub.bench.box_cpu import box_ceiling, client_cpu_s, database_cpu_s, floor, loaded, per_item_ms, spent
from flexhub.bench.http.client import Posted, Run, post_each
from flexhub.bench.http.run import chosen_client
from flexhub.bench.http.servers import served, server_stack
from flexhub.bench.http.wrk import post_each_wrk
from flexhub.bench.inbound import figures
from flexhub.bench.inbound.sale import Sale, open_sale, signed_webhooks
from flexhub.bench.inbound.topology import TOPOLOGIES, running
from flexhub.bench.report import percentile_ms
from flexhub.bootstrap import Hub, bootstrap
from flexhub.settings import Settings

SETTLED_POLL_S = 0.05
FLOOR = ("floor_cpu_ms_per_message", "floor_ceiling_messages_per_s", "flexhub_cpu_ms_per_message")


@dataclass(frozen=True)
class Served:
    connections: int
    workers: int
    client: str = "auto"
    settle_s: float = 300.0  # longest wait, once every webhook is answered, for the server to import them
    topology: str = "one"  # topology.TOPOLOGIES

    def __post_init__(self) -> None:
        if self.topology not in TOPOLOGIES:
            raise ValueError(f"the topology is one of {', '.join(TOPOLOGIES)}, not {self.topology}")


@dataclass(frozen=True)
class Spent:
    """CPU seconds over the load: each flexhub process, the database's backends, the client."""

    processes: dict[str, float] | None
    database: float | None
    client: float


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
        status(f"flexhub ({options.topology}) --workers {options.workers}: {messages} signed webhooks")
        with running(options.topology, options.workers, env) as server:
            before, database_before, client_before = server.cpu_s(), database_cpu_s(hub.engine), client_cpu_s()
            run = post(server.port, posts, options.connections, lambda done: progress("flexhub", done))
            status("waiting for the server to import them")
            settled = _wait_settled(hub, run.statuses[200], options.settle_s)
            after = server.cpu_s()
            cpu = Spent(_each_spent(before, after), spent(database_before, database_cpu_s(hub.engine)),
                        client_cpu_s() - client_before)
        report = {**figures.imported(hub, sale.admin), **_served(run, settled), **_cpu(cpu, settled.settled)}
    finally:
        hub.close()
    status(f"bare FastAPI --workers {options.workers}")
    bare, bare_s, bare_client_s = _bare(sale, posts, post, options, progress)
    messages_per_s = report["messages_per_s"]
    bare_ms, bare_client_ms = (per_item_ms(seconds, sum(bare.statuses.values())) for seconds in (bare_s, bare_client_s))
    lowest = floor(report["box_cpu_ms_per_message"], bare_ms, bare_client_ms, report["database_cpu_ms_per_message"])
    return {**report, "bare_req_per_s": round(_rate(bare), 1), "bare_p99_ms": percentile_ms(bare.latencies, 0.99),
            "bare_cpu_ms_per_req": bare_ms, "bare_client_cpu_ms_per_req": bare_client_ms,
            **dict(zip(FLOOR, lowest, strict=True)),
            "ratio": round(messages_per_s / _rate(bare), 3) if messages_per_s else None,
            "topology": options.topology, "workers": options.workers, "connections": options.connections,
            "client": client,
            "server": server_stack()}


def _wait_settled(hub: Hub, answered: int, limit_s: float) -> figures.Settled:
    deadline = time.monotonic() + limit_s
    while True:
        now = figures.settled(hub)
        if (now.pending == 0 and now.settled >= answered) or time.monotonic() > deadline:
            return now
        time.sleep(SETTLED_POLL_S)


def _served(run: Run, settled: figures.Settled) -> dict[str, Any]:
    seconds, answered = settled.seconds, sum(run.statuses.values())
    return {
        "statuses": {str(code): count for code, count in sorted(run.statuses.items())},
        "receipt_per_s": round(answered / run.seconds, 1) if run.seconds else None,
        "receipt_p50_ms": percentile_ms(run.latencies, 0.50), "receipt_p99_ms": percentile_ms(run.latencies, 0.99),
        "seconds": round(seconds, 3) if seconds else None,
        "messages_per_s": round(settled.settled / seconds, 1) if seconds else None,
    }


def _each_spent(before: dict[str, float] | None, after: dict[str, float] | None) -> dict[str, float] | None:
    return None if before is None or after is None else {role: after[role] - before[role] for role in after}


def _cpu(cpu: Spent, messages: int) -> dict[str, Any]:
    """CPU ms per message settled: flexhub's processes together and each, the database, the client, the box."""
    server_s = None if cpu.processes is None else sum(cpu.processes.values())
    box_ms, ceiling = box_ceiling(server_s, cpu.database, cpu.client, messages)
    return {"cpu_ms_per_message": per_item_ms(server_s, messages),
            "cpu_ms_per_message_by_process": None if cpu.processes is None else {
                role: per_item_ms(seconds, messages) for role, seconds in cpu.processes.items()},
            "database_cpu_ms_per_message": per_item_ms(cpu.database, messages),
            "client_cpu_ms_per_message": per_item_ms(cpu.client, messages),
            "box_cpu_ms_per_message": box_ms, "box_ceiling_messages_per_s": ceiling}


def _bare(sale: Sale, posts: list[Posted], post: Callable[..., Run], options: Served,
          progress: Callable[[str, int], None]) -> tuple[Run, float | None, float]:
    """The bare app's run, with its CPU seconds and the client's over it."""
    env = {"FLEXHUB_BENCH_WEBHOOK_SECRETS": json.dumps(sale.secrets)}
    with served(["-m", "uvicorn", "flexhub.bench.inbound.bare:app"], options.workers, env) as server:
        return loaded(server, lambda: post(server.port, posts, options.connections,
                                           lambda done: progress("bare", done)))


def _rate(run: Run) -> float:
    return sum(run.statuses.values()) / run.seconds if run.seconds else 0.0
