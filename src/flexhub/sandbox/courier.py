"""Delivering order webhooks to the hub from a few threads, retrying a failed delivery with back-off.

A market's courier gets `SENDERS_PER_STORE` threads for each store whose platform pushes its orders (`add_senders`):
each platform sends its own webhooks, so seven stores selling at once do not queue behind four shared connections
(they did: in a flash sale over seven stores, webhooks waited a median 53 s in the sandbox before the hub saw them).

Platforms redeliver a webhook the receiver did not acknowledge with a 2xx (Shopify up to 8 times
over 4 hours, WooCommerce until it disables the hook); the sandbox does the same over seconds.
It keeps how long each delivery waited in its queue before its first attempt (`waited_s`) and how long the hub took
to answer each attempt (`answered_s`): the two parts of a webhook's way to the hub that are not the hub's import.
"""

import queue
import threading
import time
from collections.abc import Callable

import httpx2
import structlog

from flexhub.sandbox.platform import Webhook

log = structlog.get_logger(__name__)
THREADS = 4
SENDERS_PER_STORE = 4
ATTEMPTS = 5
FIRST_WAIT_S = 0.2


class Courier:
    def __init__(self, *, threads: int = THREADS, attempts: int = ATTEMPTS) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._attempts = attempts
        self._client = httpx2.Client(timeout=10.0)
        self._threads: list[threading.Thread] = []
        self.delivered = 0
        self.failed = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self.waited_s: list[float] = []
        self.answered_s: list[float] = []
        self.add_senders(threads)

    @property
    def threads(self) -> int:
        return len(self._threads)

    def add_senders(self, threads: int) -> None:
        """More threads delivering from the same queue."""
        for _ in range(threads):
            thread = threading.Thread(target=self._work, name=f"sandbox-courier-{len(self._threads)}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def deliver(self, hub_url: str, webhook: Webhook, done: Callable[[int], None]) -> None:
        """Queue a delivery; `done` gets each attempt's HTTP status (0 when the hub could not be reached)."""
        self._queue.put((hub_url, webhook, done, time.monotonic()))

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued webhook was delivered or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def close(self) -> None:
        self._closing.set()  # deliveries waiting to be tried again are given up
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=5)
        self._client.close()

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._send(*job)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _send(self, hub_url: str, webhook: Webhook, done: Callable[[int], None], queued: float) -> None:
        self.waited_s.append(time.monotonic() - queued)
        for attempt in range(self._attempts):
            if self._closing.is_set():
                return
            sent = time.monotonic()
            try:
                status = self._client.post(hub_url + webhook.path, headers=webhook.headers,
                                           content=webhook.body).status_code
            except httpx2.HTTPError:
                status = 0
            self.answered_s.append(time.monotonic() - sent)
            done(status)
            if 200 <= status < 300:
                with self._lock:
                    self.delivered += 1
                return
            self._closing.wait(FIRST_WAIT_S * 2 ** attempt)
        with self._lock:
            self.failed += 1
        log.warning("webhook given up", path=webhook.path, attempts=self._attempts)
