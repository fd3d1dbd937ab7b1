"""Runs periodic jobs on daemon threads until stopped; a failing run is logged and tried again.

A singleton job (the outbox relay, reconciliation, polling…) runs only in the process holding its lease, so
exactly one process runs it at a time however many run the jobs; the others stand by and take over when the
holder stops or dies. A job's wake-up event makes it run at once within this process; a job `announced` on a
channel is also woken across processes, by the listener (db/wakes.py: PostgreSQL's NOTIFY, sent as the
transaction that gave it work commits); otherwise a job looks for work every `every_s`.

Each job is in a group, and a process runs the groups it is given (`flexhub worker --role`): the import of kept
channel messages in a process of its own, say, and the rest elsewhere.
"""

import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

import structlog

from flexhub.workers.leases import LeaseKeeper

log = structlog.get_logger(__name__)
BACKGROUND, IMPORT = "background", "import"  # the groups of jobs (IMPORT: the channel-inbound job alone)
EVERY_GROUP = frozenset({BACKGROUND, IMPORT})


class Listening(Protocol):
    """Sets a job's wake-up event when its channel is announced, until stopped (db.wakes.Listener)."""

    def listen(self, wakes: dict[str, threading.Event], stop: threading.Event) -> None: ...


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    run: Callable[[], object]
    every_s: float
    wake: threading.Event | None = None  # set it to run the job now rather than at its next turn
    singleton: bool = False  # one process at a time runs it, holding the lease named after it
    group: str = BACKGROUND
    announced: str | None = None  # the channel a transaction giving it work announces on (needs `wake`)


class Workers:
    def __init__(self, jobs: list[Job], keeper_factory: Callable[[list[str]], LeaseKeeper] | None = None, *,
                 on_start: Callable[[], None] | None = None, listener: Listening | None = None) -> None:
        self._jobs = jobs
        self._keeper_factory = keeper_factory
        self._on_start = on_start  # what else runs where the background jobs run (pulling events off NATS)
        self._listener = listener
        self.keeper: LeaseKeeper | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._stopping: list[Callable[[float], None]] = []

    def start(self, groups: Collection[str] = EVERY_GROUP) -> None:
        """Run the jobs of these groups (every job by default) until stopped."""
        running = [job for job in self._jobs if job.group in groups]
        singletons = [job.name for job in running if job.singleton]
        if singletons and self._keeper_factory is not None:
            self.keeper = self._keeper_factory(singletons)
            self.keeper.renew()  # held before the first turn, so one process on its own starts at once
            self._spawn("leases", self.keeper.keep, self._stop)
        for job in running:
            self._spawn(f"job:{job.name}", self._loop, job)
        wakes = {job.announced: job.wake for job in running if job.announced and job.wake}
        if wakes and self._listener is not None:
            self._spawn("wakes", self._listener.listen, wakes, self._stop)
        if self._on_start is not None and BACKGROUND in groups:
            self._on_start()

    def _spawn(self, name: str, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def job(self, name: str) -> Job:
        """The job of that name (to run one turn of it by hand: tests, a CLI)."""
        return next(job for job in self._jobs if job.name == name)

    def on_stop(self, stop: Callable[[float], None]) -> None:
        """Also stop this (threads a job started: the stock lanes) once the jobs have stopped; it is given what is
        left of the time-out."""
        self._stopping.append(stop)

    def holds(self, name: str) -> bool:
        return self.keeper is None or self.keeper.holds(name)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask every job to stop and wait for the runs under way, all of them within `timeout_s` together."""
        self._stop.set()
        for job in self._jobs:
            if job.wake:
                job.wake.set()
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        for stop in self._stopping:
            stop(max(0.0, deadline - time.monotonic()))

    def _loop(self, job: Job) -> None:
        while not self._stop.is_set():
            if not job.singleton or self.holds(job.name):
                try:
                    job.run()
                except Exception:
                    log.exception("job failed", job=job.name)
            if job.wake is None:
                self._stop.wait(job.every_s)
            else:
                job.wake.wait(job.every_s)
                job.wake.clear()
