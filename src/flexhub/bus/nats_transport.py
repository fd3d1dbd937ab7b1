"""The NATS JetStream transport: one stream for flexhub's events, subjects per tenant and event type.

Each event is published with `Nats-Msg-Id` = its event id, so JetStream drops a copy the relay sends again
inside the stream's duplicate window; a batch's publish acks are awaited together. Each consumer (stock sync,
webhook intake, shipment notices…) has durables of its own, named after it, so every consumer gets every
event; processes running the same consumer share its durables and so share the work. Consumers pull with
explicit acks: a failed event is offered again after a pause, and past `max_deliver` it is published on the
dead-letter subject with its reason (read with `dead_letters`, or `flexhub events dead-letters`) and
acknowledged. Consumers still act once per event id (see `bus.consumers`): a crash between acting and
acking delivers the event again.

nats-py is asyncio: the transport runs its own event loop on a daemon thread and offers the same blocking
`publish`/`subscribe` as the in-process transport. Pulling starts with `start()` (the processes running the
jobs call it), so API processes that only publish through the relay never take events off a durable.
"""

import asyncio
import concurrent.futures
import json
import threading
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from flexhub.bus.transport import Consumer, Envelope
from flexhub.kernel import metrics

log = structlog.get_logger(__name__)
STREAM = "FLEXHUB_EVENTS"


@dataclass(frozen=True, slots=True)
class StreamLimits:
    """What the stream keeps: events older than max_age_s or past max_bytes go first (discard old)."""

    max_age_s: float = 7 * 86400.0
    max_bytes: int = 1 << 30
    duplicate_window_s: float = 120.0  # a relay's re-publish of the same event id inside it is dropped
    replicas: int = 1


@dataclass(frozen=True, slots=True)
class Delivery:
    """How consumers pull: a batch at a time, each event acked once acted on, dead-lettered past max_deliver."""

    max_deliver: int = 5
    ack_wait_s: float = 30.0  # an event pulled by a process that died is offered again after this
    batch: int = 64
    retry_delay_s: float = 1.0  # the pause before a failed event is offered again (times its deliveries)


@dataclass(frozen=True, slots=True)
class DeadLetter:
    consumer: str
    event_type: str
    event_id: uuid.UUID
    reason: str
    deliveries: int
    at: datetime


@dataclass(frozen=True, slots=True)
class _Subscription:
    name: str
    event_type: str
    consumer: Consumer


class NatsTransport:
    def __init__(self, url: str = "nats://127.0.0.1:4222", *, stream: str = STREAM, prefix: str = "flexhub",
                 limits: StreamLimits | None = None, delivery: Delivery | None = None,
                 timeout_s: float = 10.0) -> None:
        import nats  # the `nats` extra

        self._stream, self._prefix, self._timeout = stream, prefix, timeout_s
        self._limits, self._delivery = limits or StreamLimits(), delivery or Delivery()
        self._subscriptions: list[_Subscription] = []
        self._pulling: list[concurrent.futures.Future[None]] = []
        self._started = False
        self._loop = asyncio.new_event_loop()
        self._stopping = asyncio.Event()
        self._thread = threading.Thread(target=self._loop.run_forever, name="nats", daemon=True)
        self._thread.start()
        # A cluster is given as several URLs separated by commas; the client moves to another when one dies.
        servers = [server.strip() for server in url.split(",") if server.strip()]
        try:
            self._client = self._run(nats.connect(servers=servers, connect_timeout=timeout_s,
                                                  max_reconnect_attempts=-1, reconnect_time_wait=0.5, name="flexhub",
                                                  error_cb=_log_error))
            self._jetstream = self._client.jetstream(timeout=timeout_s)
            self._run(self._ensure_streams())
        except BaseException:  # nothing left behind reconnecting forever
            self._abandon()
            raise

    @classmethod
    def from_settings(cls, settings: Any) -> "NatsTransport":
        return cls(settings.nats_url, stream=settings.nats_stream, prefix=settings.nats_prefix,
                   limits=StreamLimits(settings.nats_max_age_s, settings.nats_max_bytes,
                                       settings.nats_duplicate_window_s, settings.nats_replicas),
                   delivery=Delivery(settings.nats_max_deliver, settings.nats_ack_wait_s))

    @property
    def connected(self) -> bool:
        return bool(self._client.is_connected)

    @property
    def dead_letter_subject(self) -> str:
        return f"{self._prefix}_dead"

    def publish(self, envelopes: list[Envelope]) -> None:
        """Publish every envelope and wait for all their acks; raises if any was not stored (the relay then
        publishes the batch again, and the stored ones are dropped as duplicates)."""
        if envelopes:
            self._run(self._publish(envelopes), timeout=self._timeout * 2)

    def subscribe(self, event_type: str, consumer: Consumer, *, name: str = "") -> None:
        """`consumer` gets every `event_type` event ("*": every event) at least once, through the durable
        named after `name` and the type; several processes with the same name share its events."""
        if not name or not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"a JetStream consumer needs a name of letters, digits, '-' and '_', not {name!r}")
        subscription = _Subscription(name, event_type, consumer)
        self._subscriptions.append(subscription)
        if self._started:
            self._pulling.append(asyncio.run_coroutine_threadsafe(self._pull(subscription), self._loop))

    def start(self) -> None:
        """Begin pulling for every subscription (and for those made later)."""
        if self._started:
            return
        self._started = True
        for subscription in self._subscriptions:
            self._pulling.append(asyncio.run_coroutine_threadsafe(self._pull(subscription), self._loop))

    def close(self, drain_s: float | None = None) -> None:
        """Stop pulling once the events in hand are acted on and acked (bounded by drain_s), then drain the
        connection so acks and publishes still buffered reach the server."""
        drain_s = self._timeout if drain_s is None else drain_s
        self._loop.call_soon_threadsafe(self._stopping.set)
        for pulling in self._pulling:
            try:
                pulling.result(drain_s)
            except Exception:  # a pull loop that did not stop in time is cut by the drain below
                log.warning("nats consumer did not stop in time")
        try:
            self._run(self._client.drain(), timeout=drain_s)
        except Exception:
            log.warning("nats drain did not finish in time")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=drain_s)

    def _abandon(self) -> None:
        async def cancel_all() -> None:
            client = getattr(self, "_client", None)
            if client is not None:
                await client.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        try:
            asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(2)
        except Exception:
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """The newest dead letters (up to `limit`), oldest first: what an operator looks at and replays."""
        letters: list[DeadLetter] = self._run(self._dead_letters(limit))
        return letters

    def durable_name(self, name: str, event_type: str) -> str:
        return f"{self._prefix}-{name}-{'all' if event_type == '*' else event_type}"

    # On the event loop's thread from here on.

    async def _publish(self, envelopes: list[Envelope]) -> None:
        acks = await asyncio.gather(
            *(self._jetstream.publish(f"{self._prefix}.{envelope.tenant_id}.{envelope.type}", _encode(envelope),
                                      headers={"Nats-Msg-Id": str(envelope.event_id)}, stream=self._stream)
              for envelope in envelopes),
            return_exceptions=True)
        failed = [ack for ack in acks if isinstance(ack, BaseException)]
        if failed:
            raise failed[0]

    async def _ensure_streams(self) -> None:
        from nats.js.api import DiscardPolicy, StorageType, StreamConfig
        from nats.js.errors import NotFoundError

        limits = self._limits
        wanted = [
            StreamConfig(name=self._stream, subjects=[f"{self._prefix}.>"], max_age=limits.max_age_s,
                         max_bytes=limits.max_bytes, discard=DiscardPolicy.OLD, storage=StorageType.FILE,
                         duplicate_window=limits.duplicate_window_s, num_replicas=limits.replicas),
            # Dead letters are few and kept longer, for a person to look at.
            StreamConfig(name=f"{self._stream}_DEAD", subjects=[f"{self.dead_letter_subject}.>"],
                         max_age=max(limits.max_age_s, 30 * 86400.0), max_bytes=max(limits.max_bytes // 8, 1 << 20),
                         discard=DiscardPolicy.OLD, storage=StorageType.FILE,
                         duplicate_window=limits.duplicate_window_s, num_replicas=limits.replicas),
        ]
        for config in wanted:
            try:
                await self._jetstream.stream_info(config.name)
            except NotFoundError:
                await self._jetstream.add_stream(config)
            else:
                await self._jetstream.update_stream(config)  # the limits follow the settings

    async def _bind(self, subscription: _Subscription) -> Any:
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
        from nats.js.errors import BadRequestError

        durable = self.durable_name(subscription.name, subscription.event_type)
        subject = f"{self._prefix}.*.{'*' if subscription.event_type == '*' else subscription.event_type}"
        config = ConsumerConfig(durable_name=durable, name=durable, filter_subject=subject,
                                deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT,
                                ack_wait=self._delivery.ack_wait_s, max_deliver=self._delivery.max_deliver,
                                max_ack_pending=self._delivery.batch * 16)
        try:
            await self._jetstream.add_consumer(self._stream, config)
        except BadRequestError:  # already made by another process (with other settings): bind to it as it is
            pass
        return await self._jetstream.pull_subscribe_bind(durable=durable, stream=self._stream)

    async def _pull(self, subscription: _Subscription) -> None:
        import nats.errors

        pulled = None
        while not self._stopping.is_set():
            try:
                if pulled is None:
                    pulled = await self._bind(subscription)
                messages = await pulled.fetch(self._delivery.batch, timeout=1.0)
            except nats.errors.TimeoutError:
                continue
            except Exception as error:  # a node lost, a leader being elected: try again shortly
                log.warning("nats pull failed", consumer=subscription.name, error=repr(error))
                await asyncio.sleep(0.5)
                continue
            for message in messages:
                await self._deliver(subscription, message)
        if pulled is not None:
            try:
                await pulled.unsubscribe()
            except Exception:
                pass

    async def _deliver(self, subscription: _Subscription, message: Any) -> None:
        deliveries = message.metadata.num_delivered
        try:
            envelope = _decode(message.data)
            await asyncio.get_running_loop().run_in_executor(None, subscription.consumer, envelope)
        except Exception as error:
            if deliveries >= self._delivery.max_deliver:
                await self._dead_letter(subscription, message, error, deliveries)
                await message.ack()
            else:
                await message.nak(delay=self._delivery.retry_delay_s * deliveries)
            return
        try:
            await message.ack()
        except Exception as error:  # the event comes again after ack_wait; the consumer recognises it
            log.warning("nats ack failed", consumer=subscription.name, error=repr(error))

    async def _dead_letter(self, subscription: _Subscription, message: Any, error: Exception,
                           deliveries: int) -> None:
        event_type = message.subject.rsplit(".", 1)[-1]
        reason = f"{type(error).__name__}: {error}"[:500]
        headers = {"Nats-Msg-Id": f"{message.headers.get('Nats-Msg-Id', '') if message.headers else ''}:"
                                  f"{subscription.name}",
                   "Flexhub-Consumer": subscription.name, "Flexhub-Reason": reason,
                   "Flexhub-Deliveries": str(deliveries)}
        await self._jetstream.publish(f"{self.dead_letter_subject}.{subscription.name}.{event_type}", message.data,
                                      headers=headers, stream=f"{self._stream}_DEAD")
        metrics.DEAD_LETTERS.labels(queue="events").inc()
        log.error("event dead-lettered", consumer=subscription.name, event_type=event_type, reason=reason,
                  deliveries=deliveries)

    async def _dead_letters(self, limit: int) -> list[DeadLetter]:
        from nats.js.errors import NotFoundError

        info = await self._jetstream.stream_info(f"{self._stream}_DEAD")
        letters: list[DeadLetter] = []
        first = max(info.state.first_seq, info.state.last_seq - limit + 1)
        for seq in range(first, info.state.last_seq + 1) if info.state.messages else ():
            try:
                raw = await self._jetstream.get_msg(f"{self._stream}_DEAD", seq)
            except NotFoundError:  # aged out or removed between the look and the read
                continue
            headers = raw.headers or {}
            body = json.loads(raw.data)
            letters.append(DeadLetter(headers.get("Flexhub-Consumer", ""), body["type"], uuid.UUID(body["event_id"]),
                                      headers.get("Flexhub-Reason", ""), int(headers.get("Flexhub-Deliveries", 0)),
                                      raw.time or datetime.now(UTC)))
        return letters

    def _run(self, coroutine: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout or self._timeout)


async def _log_error(error: Exception) -> None:
    """A lost server while the client moves to another: one line, not nats-py's traceback."""
    log.warning("nats connection", error=repr(error))


def _encode(envelope: Envelope) -> bytes:
    return json.dumps({"event_id": str(envelope.event_id), "tenant_id": str(envelope.tenant_id),
                       "type": envelope.type, "body": envelope.body,
                       "occurred_at": envelope.occurred_at.isoformat()}).encode()


def _decode(data: bytes) -> Envelope:
    raw = json.loads(data)
    return Envelope(uuid.UUID(raw["event_id"]), uuid.UUID(raw["tenant_id"]), raw["type"], raw["body"],
                    datetime.fromisoformat(raw["occurred_at"]))
