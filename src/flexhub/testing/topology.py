"""The production topology as processes, for tests: `flexhub serve --no-jobs` API processes and `flexhub worker`
processes sharing one database and one NATS stream, each with a log file; any one can be killed with SIGKILL
and started again in its place."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

# How long a process the tests start may take to answer: importing flexhub is about 3 s of CPU, which took 32-48 s
# of wall on this 2-core box at load 11-13. A deadline guards against a process that never comes up, not its speed.
STARTS_WITHIN_S = 180.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    role: str  # "api" or "worker"
    number: int
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Topology:
    directory: Path
    settings: dict[str, Any]
    apis: list[Process] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)

    def start(self, apis: int, workers: int) -> "Topology":
        self.apis = [Process("api", n, free_port()) for n in range(apis)]
        self.workers = [Process("worker", n) for n in range(workers)]
        for process in self.apis + self.workers:
            self.launch(process)
        self.wait_ready()
        return self

    def launch(self, process: Process) -> None:
        env = {**os.environ, **{f"FLEXHUB_{name.upper()}": str(value) for name, value in self.settings.items()}}
        command = [sys.executable, "-m", "flexhub.cli.main"]
        if process.role == "api":
            command += ["serve", "--no-jobs", "--port", str(process.port)]
        else:
            command += ["worker"]
        log = (self.directory / f"{process.role}-{process.number}.log").open("ab")
        process.popen = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    def kill(self, process: Process) -> None:
        """SIGKILL: no shutdown, no drain, whatever was in flight is cut."""
        assert process.popen is not None
        process.popen.send_signal(signal.SIGKILL)
        process.popen.wait(10)

    def restart(self, process: Process) -> None:
        """Starts it again in its place (a worker's log keeps its lines: wait on the API only)."""
        self.launch(process)
        if process.role == "api":
            self._wait_api(process)

    def wait_ready(self, timeout_s: float = STARTS_WITHIN_S) -> None:
        for process in self.apis:
            self._wait_api(process, timeout_s)
        for process in self.workers:
            self._wait_worker(process, timeout_s)

    def _wait_worker(self, process: Process, timeout_s: float = STARTS_WITHIN_S) -> None:
        """Until it says it runs (its signal handlers set, its jobs started)."""
        deadline = time.monotonic() + timeout_s
        log = self.directory / f"{process.role}-{process.number}.log"
        while "running" not in log.read_text(errors="replace"):
            assert process.popen is not None and process.popen.poll() is None, self.log_of(process)
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker {process.number} not running: {self.log_of(process)}")
            time.sleep(0.2)

    def _wait_api(self, process: Process, timeout_s: float = STARTS_WITHIN_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert process.popen is not None and process.popen.poll() is None, self.log_of(process)
            try:
                if httpx2.get(f"{process.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx2.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"API {process.number} not ready: {self.log_of(process)}")

    def log_of(self, process: Process) -> str:
        return (self.directory / f"{process.role}-{process.number}.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        """SIGTERM to each, as an orchestrator stops containers; SIGKILL to what has not stopped in 20 s."""
        running = [p.popen for p in self.apis + self.workers if p.popen is not None and p.popen.poll() is None]
        for popen in running:
            popen.terminate()
        for popen in running:
            try:
                popen.wait(20)
            except subprocess.TimeoutExpired:
                popen.kill()
