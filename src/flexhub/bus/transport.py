"""Event transports: the envelope every event travels in, and the in-process transport.

A transport delivers envelopes to subscribers, each subscriber named (the consumer: "stock-sync",
"webhook-intake"…); the NATS JetStream transport (`bus.nats_transport`) publishes on `subject` with
`Nats-Msg-Id` = `event_id` so that the server drops duplicates, and keeps a durable per named consumer.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Envelope:
    event_id: uuid.UUID
    tenant_id: uuid.UUID
    type: str
    body: dict[str, Any]
    occurred_at: datetime

    @property
    def subject(self) -> str:
        return f"flexhub.{self.tenant_id}.{self.type}"


Consumer = Callable[[Envelope], None]


class Transport(Protocol):
    @property
    def connected(self) -> bool: ...

    def publish(self, envelopes: list[Envelope]) -> None: ...

    def subscribe(self, event_type: str, consumer: Consumer, *, name: str = "") -> None: ...

    def start(self) -> None: ...

    def close(self, drain_s: float | None = None) -> None: ...


class InProcessTransport:
    """Calls each subscriber in the publishing thread; a failing subscriber fails the publish."""

    connected = True

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Consumer]] = defaultdict(list)

    def subscribe(self, event_type: str, consumer: Consumer, *, name: str = "") -> None:
        self._subscribers[event_type].append(consumer)

    def start(self) -> None:
        """Nothing to start: subscribers are called by whoever publishes (the relay, in the jobs' process)."""

    def close(self, drain_s: float | None = None) -> None:
        """Nothing held open."""

    def publish(self, envelopes: list[Envelope]) -> None:
        for envelope in envelopes:
            for consumer in self._subscribers.get(envelope.type, []) + self._subscribers.get("*", []):
                consumer(envelope)
