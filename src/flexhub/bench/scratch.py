"""A scratch database for one benchmark run, so that a run never touches the user's data.

SQLite: a fresh file in a temporary directory. PostgreSQL: a database `flexhub_bench_<pid>` created
on the server the given URL names, dropped at the end. Both are migrated to head first.
"""

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from flexhub.db.migrate import upgrade
from flexhub.testing.database import scratch_postgres_database, sqlite_url


def backend_of(url: str) -> str:
    """"sqlite" or "postgresql": the `database` field of a report."""
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise ValueError(f"the benchmark runs on SQLite or PostgreSQL, not {name}")
    return name


def scratch_name(prefix: str = "flexhub_bench") -> str:
    return f"{prefix}_{os.getpid()}"


@contextmanager
def scratch_database(url: str, *, migrate: bool = True, name: str | None = None) -> Iterator[str]:
    """The URL of an empty (migrated, unless told not to) database beside the one `url` names."""
    with _cleaned_up_when_terminated():
        yield from _scratch(url, migrate=migrate, name=name)


def _scratch(url: str, *, migrate: bool, name: str | None) -> Iterator[str]:
    if backend_of(url) == "sqlite":
        with tempfile.TemporaryDirectory(prefix="flexhub-bench-") as directory:
            scratch = sqlite_url(Path(directory) / "bench.db")
            if migrate:
                upgrade(scratch)
            yield scratch
        return
    with scratch_postgres_database(url, name or scratch_name()) as scratch:
        if migrate:
            upgrade(scratch)
        yield scratch


@contextmanager
def _cleaned_up_when_terminated() -> Iterator[None]:
    """SIGTERM (a timeout, a CI cancel) raises SystemExit here, so the scratch database is still dropped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)
