"""Placing orders C at a time, timing every call and the whole run: C threads through `hub.handle`
(per order), or C coroutines awaiting `hub.writer.submit` (combined, as the async API does)."""

import asyncio
import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flexhub.bootstrap import Hub
from flexhub.kernel.errors import FlexhubError
from flexhub.ordering.commands import ImportOrder

REFUSED = "inventory.insufficient_stock"
PROGRESS_INTERVAL_S = 0.1


@dataclass
class Load:
    """What happened: one latency (seconds) per call, outcomes by status or error code, wall seconds and
    this process's CPU seconds (every thread: buyers, combiner, driver) over the same span."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def accepted(self) -> int:
        return self.outcomes["reserved"]

    @property
    def rejected(self) -> int:
        return self.outcomes[REFUSED]

    @property
    def errors(self) -> dict[str, int]:
        return {k: v for k, v in self.outcomes.items() if k not in ("reserved", REFUSED)}


def place_orders(
    hub: Hub, commands: Sequence[ImportOrder], *, concurrency: int,
    progress: Callable[[int], None] | None = None,
) -> Load:
    """Every command placed once, by `concurrency` threads taking the next one in arrival order."""
    following = itertools.count()  # next() on a count is atomic under the GIL
    per_thread = [Load() for _ in range(concurrency)]
    start = threading.Barrier(concurrency + 1)

    def buyer(load: Load) -> None:
        start.wait()
        while (index := next(following)) < len(commands):
            began = time.perf_counter()
            outcome = _place(hub, commands[index])
            load.latencies.append(time.perf_counter() - began)
            load.outcomes[outcome] += 1

    threads = [threading.Thread(target=buyer, args=(load,), name=f"bench-buyer-{n}", daemon=True)
               for n, load in enumerate(per_thread)]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu_began = time.perf_counter(), time.process_time()
    _wait(threads, per_thread, progress)
    total = Load(seconds=time.perf_counter() - began, cpu_seconds=time.process_time() - cpu_began)
    for load in per_thread:
        total.latencies.extend(load.latencies)
        total.outcomes.update(load.outcomes)
    return total


def place_orders_async(
    hub: Hub, commands: Sequence[ImportOrder], *, concurrency: int,
    progress: Callable[[int], None] | None = None,
) -> Load:
    """Every command placed once, by `concurrency` coroutines on one event loop taking the next in turn."""
    following = iter(range(len(commands)))
    total = Load()

    async def buyer() -> None:
        for index in following:
            began = time.perf_counter()
            outcome = await _submit(hub, commands[index])
            total.latencies.append(time.perf_counter() - began)
            total.outcomes[outcome] += 1

    async def reporter() -> None:
        while True:
            await asyncio.sleep(PROGRESS_INTERVAL_S)
            if progress:
                progress(len(total.latencies))

    async def run() -> None:
        shown = asyncio.create_task(reporter())
        began, cpu_began = time.perf_counter(), time.process_time()
        await asyncio.gather(*(buyer() for _ in range(concurrency)))
        total.seconds, total.cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
        shown.cancel()

    asyncio.run(run())
    if progress:
        progress(len(total.latencies))
    return total


async def _submit(hub: Hub, command: ImportOrder) -> str:
    try:
        return (await hub.writer.submit(command)).status
    except FlexhubError as error:
        return error.code
    except Exception as error:  # a benchmark reports failures rather than stopping at the first
        return f"error.{type(error).__name__}"


def _place(hub: Hub, command: ImportOrder) -> str:
    try:
        return hub.handle(command).status
    except FlexhubError as error:
        return error.code
    except Exception as error:  # a benchmark reports failures rather than stopping at the first
        return f"error.{type(error).__name__}"


def _wait(threads: list[threading.Thread], loads: list[Load], progress: Callable[[int], None] | None) -> None:
    for thread in threads:
        while thread.is_alive():
            thread.join(PROGRESS_INTERVAL_S)
            if progress:
                progress(sum(len(load.latencies) for load in loads))
    if progress:
        progress(sum(len(load.latencies) for load in loads))
