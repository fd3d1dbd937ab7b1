"""A per-process combiner: concurrent callers' requests are applied in one transaction per batch.

Callers block on `submit`; a single worker thread takes everything queued (waiting up to
`max_wait_s` for more when the batch is small), runs `process` on the batch in arrival order and
hands each caller its own result. One transaction then carries many orders on a hot stock row.
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")


class Combiner(Generic[Request, Result]):
    def __init__(
        self,
        process: Callable[[Sequence[Request]], Sequence[Result]],
        *,
        max_wait_s: float = 0.001,
        max_batch: int = 256,
        name: str = "combiner",
    ) -> None:
        self._process = process
        self._max_wait_s = max_wait_s
        self._max_batch = max_batch
        self._queue: deque[tuple[Request, Future[Result]]] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self.batches = 0
        self._worker = threading.Thread(target=self._run, name=name, daemon=True)
        self._worker.start()

    def submit(self, request: Request) -> Result:
        future: Future[Result] = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("combiner is closed")
            self._queue.append((request, future))
            self._ready.notify()
        return future.result()

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._worker.join(timeout=10)

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self.batches += 1
            try:
                results = list(self._process([request for request, _ in batch]))
                if len(results) != len(batch):  # else the worker would die in zip() and callers wait forever
                    raise RuntimeError(f"process answered {len(results)} of {len(batch)} requests")
            except BaseException as error:  # every caller learns of the failure
                for _, future in batch:
                    future.set_exception(error)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)

    def _next_batch(self) -> list[tuple[Request, Future[Result]]] | None:
        with self._ready:
            while not self._queue and not self._closed:
                self._ready.wait()
            if not self._queue:
                return None
            deadline = time.monotonic() + self._max_wait_s
            while len(self._queue) < self._max_batch and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._ready.wait(remaining)
            count = min(len(self._queue), self._max_batch)
            return [self._queue.popleft() for _ in range(count)]
