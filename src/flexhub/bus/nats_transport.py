"""The NATS JetStream transport: one stream for flexhub's events, subjects per tenant and event type.

Each event is published with `Nats-Msg-Id` = its event id, so JetStream drops a duplicate that the
relay sends again inside the stream's duplicate window; consumers still dedupe by event id (see
`bus.consumers`). nats-py is asyncio: the transport runs its own event loop on a daemon thread and
offers the same blocking `publish`/`subscribe` as the in-process transport.
"""

import asyncio
import json
import threading
import uuid
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from flexhub.bus.transport import Consumer, Envelope

STREAM = "FLEXHUB_EVENTS"


class NatsTransport:
    def __init__(self, url: str = "nats://127.0.0.1:4222", *, stream: str = STREAM, prefix: str = "flexhub",
                 timeout_s: float = 10.0) -> None:
        import nats  # the `nats` extra

        self._stream, self._prefix, self._timeout = stream, prefix, timeout_s
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="nats", daemon=True)
        self._thread.start()
        self._client = self._run(nats.connect(url, connect_timeout=timeout_s))
        self._jetstream = self._client.jetstream()
        self._run(self._ensure_stream())

    def publish(self, envelopes: list[Envelope]) -> None:
        for envelope in envelopes:
            subject = f"{self._prefix}.{envelope.tenant_id}.{envelope.type}"
            self._run(self._jetstream.publish(subject, _encode(envelope),
                                              headers={"Nats-Msg-Id": str(envelope.event_id)}))

    def subscribe(self, event_type: str, consumer: Consumer) -> None:
        """A durable consumer per event type: each event reaches `consumer` at least once."""
        subject = f"{self._prefix}.*." + ("*" if event_type == "*" else event_type)
        durable = f"{self._prefix}-{'all' if event_type == '*' else event_type}"

        async def deliver(message: Any) -> None:
            await asyncio.get_running_loop().run_in_executor(None, consumer, _decode(message.data))
            await message.ack()

        # A queue group: API and worker processes share the work of one durable consumer.
        self._run(self._jetstream.subscribe(subject, queue=durable, durable=durable, cb=deliver, manual_ack=True,
                                            stream=self._stream))

    def close(self) -> None:
        self._run(self._client.drain())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=self._timeout)

    async def _ensure_stream(self) -> None:
        from nats.js.errors import NotFoundError

        try:
            await self._jetstream.stream_info(self._stream)
        except NotFoundError:
            await self._jetstream.add_stream(name=self._stream, subjects=[f"{self._prefix}.>"], duplicate_window=120.0)

    def _run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(self._timeout)


def _encode(envelope: Envelope) -> bytes:
    return json.dumps({"event_id": str(envelope.event_id), "tenant_id": str(envelope.tenant_id),
                       "type": envelope.type, "body": envelope.body,
                       "occurred_at": envelope.occurred_at.isoformat()}).encode()


def _decode(data: bytes) -> Envelope:
    raw = json.loads(data)
    return Envelope(uuid.UUID(raw["event_id"]), uuid.UUID(raw["tenant_id"]), raw["type"], raw["body"],
                    datetime.fromisoformat(raw["occurred_at"]))
