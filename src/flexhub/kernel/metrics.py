"""Prometheus metrics every process records, read at `/metrics`.

Counters and histograms live in the process that counts; under several uvicorn workers (or API and worker
processes sharing a host) set `PROMETHEUS_MULTIPROC_DIR` to an empty directory before the processes start and
each writes its figures there, summed at scrape time (prometheus-client's multiprocess mode). Figures read from
the database (outbox lag, job lag, dead letters) are computed at scrape time instead: they are the same
whichever process answers.
"""

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

ORDERS_IMPORTED = Counter("flexhub_orders_imported", "Orders imported, by outcome", ["outcome"])
# Each outcome's child of the counter, looked up once: `labels()` per order cost a fifth of a submission's CPU.
_IMPORTED_AS = {outcome: ORDERS_IMPORTED.labels(outcome) for outcome in ("created", "replayed", "refused")}
RESERVATION_SECONDS = Histogram(
    "flexhub_reservation_seconds", "Time to import and reserve one order",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
OUTBOUND_RESPONSES = Counter("flexhub_outbound_responses", "Answers from platforms, carriers and endpoints",
                             ["host", "status"])
THROTTLED = Counter("flexhub_outbound_throttled", "429 answers from platforms and endpoints", ["host"])
STOCK_PUSHES = Counter("flexhub_stock_pushes", "Stock figures pushed to channels, by outcome", ["outcome"])
WEBHOOK_DELIVERIES = Counter("flexhub_webhook_deliveries", "Outbound webhook posts, by outcome", ["outcome"])
DEAD_LETTERS = Counter("flexhub_dead_letters", "Events or jobs set aside after their last try", ["queue"])
HTTP_REQUESTS = Counter("flexhub_http_requests", "HTTP requests answered", ["method", "status"])


def render(extra: Iterable[Metric] = ()) -> tuple[bytes, str]:
    """The exposition text: this process's metrics (or every process's, in multiprocess mode) and `extra`."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    body = generate_latest(registry)
    extra = list(extra)
    if extra:
        once = CollectorRegistry()
        once.register(_Fixed(extra))
        body += generate_latest(once)
    return body, CONTENT_TYPE_LATEST


def gauge(name: str, documentation: str, value: float) -> Metric:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


class _Fixed:
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> list[Metric]:
        return self._metrics


Answer = TypeVar("Answer")


class Answered(Protocol):
    """Counts an answer and hands it back as it is (an Imported, or a list of Imported or errors)."""

    def __call__(self, answer: Answer, /) -> Answer: ...


@contextmanager
def imports(count: int) -> Iterator[Answered]:
    """Times `count` orders submitted together into the reservation histogram and counts each by outcome
    (created, replayed, refused); the caller passes its answer (an Imported, or a list of Imported or errors)
    through the function yielded."""
    started = time.perf_counter()
    outcomes: list[str] = []

    def answered(answer: Answer, /) -> Answer:
        for one in answer if isinstance(answer, list) else [answer]:
            if isinstance(one, BaseException):
                outcomes.append("refused")
            else:
                outcomes.append("created" if getattr(one, "created", True) else "replayed")
        return answer

    try:
        yield answered
    except Exception:
        outcomes.extend(["refused"] * (count - len(outcomes)))
        raise
    finally:
        elapsed = time.perf_counter() - started
        for outcome in outcomes:
            _IMPORTED_AS[outcome].inc()
            if outcome != "refused":
                RESERVATION_SECONDS.observe(elapsed)


def count_response(response: Any) -> None:
    """An httpx response hook: every outbound answer counted by host and status, 429s apart."""
    host = response.request.url.host or ""
    OUTBOUND_RESPONSES.labels(host, str(response.status_code)).inc()
    if response.status_code == 429:
        THROTTLED.labels(host).inc()
