"""What a request or message costs the whole box in CPU, and what the box's cores could take at that cost: the
server's processes (read from /proc by the caller), the database's backends (PostgreSQL on this machine; SQLite runs
inside the server and is counted with it) and the client (this process and its children that ended: wrk). CPU per
request is a figure other work on a shared box disturbs much less than requests per second."""

import os
import resource
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine, text

from flexhub.bench.http.servers import Served, backends_cpu_s

Load = TypeVar("Load")


def client_cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (wrk)."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def loaded(server: Served, load: Callable[[], Load]) -> tuple[Load, float | None, float]:
    """What `load` returned, the CPU seconds the server spent meanwhile (None where that cannot be read), and the
    client's: this process's (the asyncio client) and its children's that ended meanwhile (wrk)."""
    before, client_before = server.cpu_s(), client_cpu_s()
    run = load()
    after, client_after = server.cpu_s(), client_cpu_s()
    return run, None if before is None or after is None else after - before, client_after - client_before


def database_cpu_s(engine: Engine) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the engine's database (but this reading's own),
    where /proc shows them; none on SQLite."""
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as connection:
        pids = connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        return backends_cpu_s([pid for (pid,) in pids])


def spent(before: dict[int, float], after: dict[int, float]) -> float | None:
    """CPU seconds the backends spent between two readings (one that connected meanwhile counted from 0)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items()) if after else None


def per_item_ms(cpu_s: float | None, items: int) -> float | None:
    return None if cpu_s is None or not items else round(cpu_s * 1000 / items, 3)


def box_ceiling(server_s: float | None, database_s: float | None, client_s: float,
                items: int) -> tuple[float | None, float | None]:
    """The CPU one item cost the box (server, database, client) in ms, and the items per second its cores could
    take at that cost if nothing else ran and no one waited."""
    box_ms = per_item_ms((server_s or 0.0) + (database_s or 0.0) + client_s, items) if server_s is not None else None
    return box_ms, ceiling_per_s(box_ms)


def ceiling_per_s(ms_per_item: float | None) -> float | None:
    """The items per second the box's cores could take at this CPU cost each."""
    return round((os.cpu_count() or 1) * 1000 / ms_per_item, 1) if ms_per_item else None


def floor(box_ms: float | None, bare_ms: float | None, bare_client_ms: float | None,
          database_ms: float | None) -> tuple[float | None, float | None, float | None]:
    """What an item costs the box with no flexhub code (the bare app's request with its client's share, and the
    database's work per item), the box's ceiling at that cost, and what flexhub's code adds to the box's figure."""
    if bare_ms is None or bare_client_ms is None:
        return None, None, None
    floor_ms = round(bare_ms + bare_client_ms + (database_ms or 0.0), 3)
    return floor_ms, ceiling_per_s(floor_ms), None if box_ms is None else round(box_ms - floor_ms, 3)
