"""Runs periodic jobs on daemon threads until stopped; a failing run is logged and tried again."""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    run: Callable[[], object]
    every_s: float
    wake: threading.Event | None = None  # set it to run the job now rather than at its next turn


class Workers:
    def __init__(self, jobs: list[Job]) -> None:
        self._jobs = jobs
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for job in self._jobs:
            thread = threading.Thread(target=self._loop, args=(job,), name=f"job:{job.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for job in self._jobs:
            if job.wake:
                job.wake.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _loop(self, job: Job) -> None:
        while not self._stop.is_set():
            try:
                job.run()
            except Exception:
                log.exception("job failed", job=job.name)
            if job.wake is None:
                self._stop.wait(job.every_s)
            else:
                job.wake.wait(job.every_s)
                job.wake.clear()
