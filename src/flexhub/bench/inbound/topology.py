"""The processes `bench inbound --through http` serves the sale's webhooks with, on a loopback port:

- `one`: `flexhub serve` with its jobs (the import among them), as one process serves a shop;
- `split`: `flexhub serve --no-jobs` answering, `flexhub worker --role import` importing (woken by each keep's
  NOTIFY on PostgreSQL, by its 1 s poll on SQLite), and `flexhub worker --role background` routing, planning
  stock, pushing it and relaying the outbox.

Each is up once it answers (the API) or says it runs (a worker), and at rest; their CPU time is read together."""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import IO

from flexhub.bench.children import stop
from flexhub.bench.http.servers import START_TIMEOUT_S, Served, served, wait_at_rest

TOPOLOGIES = ("one", "split")
SERVE = [sys.executable, "-m", "flexhub.cli.main"]


@dataclass(frozen=True)
class Running:
    port: int  # the API's
    processes: dict[str, Served]  # by role: api, and import and background when split

    def cpu_s(self) -> dict[str, float] | None:
        """CPU seconds each process of the topology (with its children) has spent so far; None where /proc
        cannot tell."""
        spent = {role: process.cpu_s() for role, process in self.processes.items()}
        return None if None in spent.values() else {role: s for role, s in spent.items() if s is not None}


@contextmanager
def running(topology: str, workers: int, env: dict[str, str]) -> Iterator[Running]:
    """The topology's processes started, up and at rest; stopped afterwards (SIGTERM, as served() does)."""
    if topology not in TOPOLOGIES:
        raise ValueError(f"the topology is one of {', '.join(TOPOLOGIES)}, not {topology}")
    with ExitStack() as stack:
        if topology == "one":
            api = stack.enter_context(served(["-m", "flexhub.cli.main", "serve"], workers, env))
            yield Running(api.port, {"api": api})
            return
        jobs = {role: stack.enter_context(worker(role, env)) for role in ("background", "import")}
        api = stack.enter_context(served(["-m", "flexhub.cli.main", "serve", "--no-jobs"], workers, env))
        yield Running(api.port, {"api": api, **jobs})


@contextmanager
def worker(role: str, env: dict[str, str]) -> Iterator[Served]:
    """`flexhub worker --role <role>`, running and at rest; no port."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([*SERVE, "worker", "--role", role], env={**os.environ, **env}, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while b"running" not in _read(log):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"flexhub worker --role {role} did not start (exit {process.poll()}): "
                                       f"{_read(log)[-2000:].decode(errors='replace')}")
                time.sleep(0.2)
            wait_at_rest(process.pid, deadline)
            yield Served(0, process.pid)
        finally:
            stop(process)


def _read(log: IO[bytes]) -> bytes:
    log.seek(0)
    return log.read()
