"""Processes for scale-out tests: `flexhub worker` started as a child process, and a receiver of outbound posts
on a loopback port that counts what arrives."""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def start_worker(database_url: str, role: str = "all", **settings: str) -> subprocess.Popen[bytes]:
    """`flexhub worker --role <role>` on `database_url`, with FLEXHUB_<NAME> settings (e.g. job_lease_s="3")."""
    env = {**os.environ, "FLEXHUB_DATABASE_URL": database_url,
           **{f"FLEXHUB_{name.upper()}": value for name, value in settings.items()}}
    return subprocess.Popen([sys.executable, "-m", "flexhub.cli.main", "worker", "--role", role], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def workers(database_url: str, count: int, role: str = "all",
            **settings: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = [start_worker(database_url, role, **settings) for _ in range(count)]
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Receiver:
    """Counts the posts per `webhook-id`; `hold(id)` makes the first post of that id hang until released."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        self.held: set[str] = set()
        self.holding = threading.Event()  # a held post has arrived
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def hold(self, webhook_id: str) -> None:
        self.held.add(webhook_id)

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — the name http.server calls
                self.rfile.read(int(self.headers.get("content-length", 0)))
                webhook_id = self.headers.get("webhook-id", "")
                with receiver._lock:
                    receiver.posts[webhook_id] += 1
                    hang = webhook_id in receiver.held
                    receiver.held.discard(webhook_id)
                if hang:
                    receiver.holding.set()
                    receiver.release.wait(60)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def wait_until(condition: Callable[[], bool], *, timeout_s: float, every_s: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every_s)
    return condition()
