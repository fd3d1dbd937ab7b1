"""Where `bench sync`'s hub runs: in the bench's own process beside the sandbox and buyers (`one-process`, as the
end-to-end tests run it), or in its real process roles (`processes`): `flexhub serve --no-jobs` receiving the
stores' webhooks and `flexhub worker` running every job (import, routing, the relay, planning, pushes, polling),
each a child process, while the bench's process keeps only the sandbox, the buyers and its own reads.

Either way the bench holds the stock pushes while it opens the stores (the first figures are planned, not sent),
then releases them and times the first sync. Apart, the hold is the `stock-push` lease taken by the bench itself;
the first sync is timed from the moment the worker holds it.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import IO, Any, Protocol

from cryptography.fernet import Fernet
from sqlalchemy import select

from flexhub.bench.children import stop
from flexhub.bench.http.servers import cpu_s_of
from flexhub.bench.http.servers import served as served_child
from flexhub.bootstrap import bootstrap
from flexhub.db.jobs import leases
from flexhub.db.jobs.model import ScheduleLease
from flexhub.sandbox.app import create_app as sandbox_app
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.settings import Settings
from flexhub.testing.builders import create_tenant

ROLES = ("one-process", "processes")
PUSHES = "stock-push"
HOLDER = "bench-sync:holding-the-first-sync"
HOLD_S = 3600.0
WORKER_UP_S = 120.0
JOB_NAMED = re.compile(rb'\bjob["\']?\s*[=:]\s*["\']?([\w.:-]+)')  # a log line's job, as key=value or JSON
# A traceback's last line: the exception's (dotted) name, and its message.
RAISED = re.compile(rb"^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Detected|Violation|Failure|Timeout)\b(:.*)?$")
RECORD = re.compile(rb"^\{|^\d{4}-\d\d-\d\d[T ]")  # a log record's first line (JSON, or the console's timestamp)
ERRORS_KEPT = 5  # a failed job's distinct errors the report names


class HubRoles(Protocol):
    def hold(self) -> None: ...

    def release(self) -> None:
        """Let the pushes go; returns once the hub may push."""

    def rate_limited(self) -> int | None: ...

    def cpu_s(self) -> dict[str, float | None]: ...

    def failed_jobs(self) -> dict[str, int] | None:
        """Each job's failures the hub logged ("job failed"), where the bench can read its log."""

    def job_errors(self) -> dict[str, list[str]] | None:
        """What each failed job raised: the exception's own line of each traceback, a few distinct ones a job."""


class OneProcess:
    """The hub's workers run in this process: the pusher is held by its own lease check."""

    def __init__(self, stage: Stage) -> None:
        self._pusher = stage.hub.pusher

    def hold(self) -> None:
        self._pusher.holds_lease = lambda: False

    def release(self) -> None:
        self._pusher.holds_lease = lambda: True
        self._pusher.wake.set()

    def rate_limited(self) -> int | None:
        return self._pusher.rate_limited

    def cpu_s(self) -> dict[str, float | None]:
        return {"bench_and_hub": time.process_time()}

    def failed_jobs(self) -> dict[str, int] | None:
        return None  # logged by this process, not kept

    def job_errors(self) -> dict[str, list[str]] | None:
        return None


class Apart:
    """The hub in child processes; the bench holds the `stock-push` lease to keep the worker from pushing."""

    def __init__(self, stage: Stage, children: dict[str, int], worker_log: IO[bytes] | None = None) -> None:
        self._uow = stage.hub.uow
        self._children = children
        self._worker_log = worker_log

    def hold(self) -> None:
        with self._uow() as uow:
            if not leases.take(uow.connection, PUSHES, HOLDER, ttl_s=HOLD_S):
                raise RuntimeError("the worker already holds the stock-push lease")
            uow.commit()

    def release(self) -> None:
        with self._uow() as uow:
            leases.give_up(uow.connection, HOLDER)
            uow.commit()
        wait_until(lambda: self._holder() not in (None, HOLDER), timeout_s=60.0, every_s=0.05)

    def rate_limited(self) -> int | None:
        return None  # counted in the worker; the stores' own count of 429s is the report's `sandbox_throttled`

    def cpu_s(self) -> dict[str, float | None]:
        return {"bench": time.process_time(), **{name: cpu_s_of(pid) for name, pid in self._children.items()}}

    def failed_jobs(self) -> dict[str, int] | None:
        """The worker's "job failed" lines so far, by job (its log is kept in a temporary file)."""
        failures = self._failures()
        return None if failures is None else dict(sorted(Counter(job for job, _ in failures).items()))

    def job_errors(self) -> dict[str, list[str]] | None:
        failures = self._failures()
        if failures is None:
            return None
        errors: dict[str, list[str]] = {}
        for job, error in failures:
            kept = errors.setdefault(job, [])
            if error not in kept and len(kept) < ERRORS_KEPT:
                kept.append(error)
        return dict(sorted(errors.items()))

    def _failures(self) -> list[tuple[str, str]] | None:
        """(job, what it raised) for each "job failed" line of the worker's log: the traceback after the line (the
        console format writes it there) ends in the exception's own line."""
        if self._worker_log is None:
            return None
        self._worker_log.seek(0)
        lines = self._worker_log.read().splitlines()
        self._worker_log.seek(0, os.SEEK_END)
        failures = []
        for n, line in enumerate(lines):
            if b"job failed" in line and (named := JOB_NAMED.search(line)) is not None:
                after = lines[n + 1:]
                end = next((k for k, found in enumerate(after) if RECORD.match(found)), len(after))
                raised = [found for found in after[:end] if RAISED.match(found)]
                failures.append((named.group(1).decode(errors="replace"),
                                 raised[-1][:300].decode(errors="replace") if raised else "?"))
        return failures

    def _holder(self) -> str | None:
        with self._uow(write=False) as uow:
            return uow.connection.execute(select(ScheduleLease.owner)
                                          .where(ScheduleLease.name == PUSHES)).scalar_one_or_none()


@contextmanager
def hub_in(roles: str, database_url: str) -> Iterator[tuple[Stage, HubRoles]]:
    if roles not in ROLES:
        raise ValueError(f"--hub is one of {', '.join(ROLES)}, not {roles!r}")
    if roles == "one-process":
        with staged(database_url) as stage:
            yield stage, OneProcess(stage)
        return
    with _apart(database_url) as found:
        yield found


@contextmanager
def _apart(database_url: str) -> Iterator[tuple[Stage, HubRoles]]:
    """A hub of this process for the bench's setup and reads (its workers never start), the sandbox served here, and
    the hub's roles as children sharing its database and secret key."""
    secret_key = Fernet.generate_key().decode()
    hub = bootstrap(Settings(database_url=database_url, secret_key=secret_key), combine=True)
    market = Market()
    env = {"FLEXHUB_DATABASE_URL": database_url, "FLEXHUB_SECRET_KEY": secret_key, "FLEXHUB_LOG_LEVEL": "WARNING"}
    with ExitStack() as stack:
        stack.callback(hub.close)
        stack.callback(market.close)
        market.base_url = stack.enter_context(served(sandbox_app(market)))
        admin = create_tenant(hub, "acme")
        stage = Stage(hub, admin, market, poller=None)
        roles = Apart(stage, {})
        roles.hold()  # before the worker starts: it must never push the stores' first figures one by one
        server = stack.enter_context(served_child(["-m", "flexhub.cli.main", "serve", "--no-jobs"], 1, env))
        market.hub_url = f"http://127.0.0.1:{server.port}"
        worker, worker_log = stack.enter_context(_worker(env))
        wait_until(lambda: _leases_held(hub) > 0, timeout_s=WORKER_UP_S, every_s=0.2)
        roles = Apart(stage, {"serve": server.pid, "worker": worker}, worker_log)
        yield stage, roles


@contextmanager
def _worker(env: dict[str, str]) -> Iterator[tuple[int, IO[bytes]]]:
    """`flexhub worker` running, its output kept in a temporary file (shown if it stops on its own); its pid and
    that file."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "flexhub.cli.main", "worker"], env={**os.environ, **env},
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process.pid, log
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"flexhub worker stopped (exit {process.returncode}): "
                                   f"{log.read()[-2000:].decode(errors='replace')}")
        finally:
            stop(process)


def _leases_held(hub: Any) -> int:
    """Schedule leases held by anyone but the bench: the worker is up once it holds its first."""
    with hub.uow(write=False) as uow:
        return len(uow.connection.execute(select(ScheduleLease.name).where(ScheduleLease.owner != HOLDER)).all())
