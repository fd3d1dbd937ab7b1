"""The servers `bench http` loads, each a child process on a free loopback port with `--workers`, its output kept
in a temporary log (its end is shown if it does not come up), stopped with SIGTERM (SIGKILL after 30 s). The CPU
time its processes spent (user + system, from /proc) is read before and after a load: CPU per request is a figure
other work on a shared box disturbs much less than requests per second.

A server is up once it answers and its processes are at rest: their CPU time grows by under 5 % of a core over
a quarter second (Linux; elsewhere it is up once it answers). A second worker still importing would otherwise
share the two cores with the load on the first.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import httpx2
import uvicorn

from flexhub.bench.children import stop
from flexhub.testing.topology import free_port

START_TIMEOUT_S = 90.0
AT_REST_S = 0.25
AT_REST_SHARE = 0.05  # of one core


def server_stack() -> dict[str, Any]:
    """What uvicorn's "auto" picks for both servers."""
    return {"uvicorn": uvicorn.__version__, "loop": "uvloop" if find_spec("uvloop") else "asyncio",
            "http": "httptools" if find_spec("httptools") else "h11"}


@dataclass(frozen=True)
class Served:
    port: int
    pid: int

    def cpu_s(self) -> float | None:
        """CPU seconds its processes have spent so far; None where /proc cannot tell (not Linux)."""
        return cpu_s_of(self.pid)


@contextmanager
def served(command: list[str], workers: int, env: dict[str, str]) -> Iterator[Served]:
    """`python <command> --host 127.0.0.1 --port P --workers W` started, up; its port and process; then stopped."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, *command, "--host", "127.0.0.1", "--port", str(port),
                                    "--workers", str(workers)],
                                   env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(port, process, log)
            yield Served(port, process.pid)
        finally:
            stop(process)


def _wait_until_up(port: int, process: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            tail = log.read()[-2000:].decode(errors="replace")
            raise RuntimeError(f"the server on port {port} did not come up (exit {process.poll()}): {tail}")
        time.sleep(0.2)
    wait_at_rest(process.pid, deadline)


def _answers(port: int) -> bool:
    try:
        return httpx2.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1.0).status_code == 200
    except httpx2.HTTPError:
        return False


def wait_at_rest(pid: int, deadline: float) -> None:
    """Until the process and its children are at rest (or the deadline passes)."""
    while time.monotonic() < deadline and not _at_rest(pid):
        pass


def _at_rest(pid: int) -> bool:
    before = cpu_s_of(pid)
    time.sleep(AT_REST_S)
    after = cpu_s_of(pid)
    return before is None or after is None or after - before < AT_REST_SHARE * AT_REST_S


def backends_cpu_s(pids: list[int]) -> dict[int, float]:
    """CPU seconds each of a database server's backends has spent so far, for those /proc shows (a server on this
    machine): what the database spends per order, beside what the server process does."""
    spent = {}
    for pid in pids:
        ticks = _ticks(str(pid))
        if ticks is not None:
            spent[pid] = ticks / os.sysconf("SC_CLK_TCK")
    return spent


def cpu_s_of(pid: int) -> float | None:
    """CPU seconds of the process and its children (user + system), from /proc; None where there is none."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    ticks = [_ticks(each) for each in (str(pid), *children)]
    return None if ticks[0] is None else sum(t or 0 for t in ticks) / os.sysconf("SC_CLK_TCK")


def _ticks(pid: str) -> int | None:
    """User + system clock ticks of one process, from /proc; None where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
