"""The JetStream transport against the machine's NATS server: every consumer gets every event, processes running
one consumer share its events, duplicates are dropped by Nats-Msg-Id, failures go to the dead-letter subject past
max_deliver, the stream has its limits, and closing drains what is in hand."""

import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest

from flexhub.bus.nats_transport import Delivery, NatsTransport, StreamLimits
from flexhub.bus.transport import Envelope
from flexhub.testing.nats import require_local_nats, unique_names


@pytest.fixture
def names():
    require_local_nats()
    stream, prefix = unique_names()
    made: list[NatsTransport] = []

    def transport(**options) -> NatsTransport:
        made.append(NatsTransport(stream=stream, prefix=prefix, **options))
        return made[-1]

    yield transport
    cleaner = NatsTransport(stream=stream, prefix=prefix)
    for transport_made in made:
        transport_made.close(drain_s=5)
    for name in (stream, f"{stream}_DEAD"):
        cleaner._run(cleaner._jetstream.delete_stream(name))
    cleaner.close()


def _events(count: int, event_type: str = "StockChanged") -> list[Envelope]:
    tenant = uuid.uuid4()
    return [Envelope(uuid.uuid4(), tenant, event_type, {"n": n}, datetime.now(UTC)) for n in range(count)]


def _wait(condition, timeout_s: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_events_arrive_once_even_when_published_twice(names):
    transport = names()
    received: list[Envelope] = []
    transport.subscribe("StockChanged", received.append, name="stock-sync")
    transport.start()
    [event] = _events(1)
    transport.publish([event])
    transport.publish([event])  # the relay crashed before marking it: JetStream drops the copy
    _wait(lambda: received)
    time.sleep(1.0)
    assert [e.event_id for e in received] == [event.event_id]
    assert received[0].body == event.body and received[0].tenant_id == event.tenant_id


def test_every_consumer_gets_every_event_and_processes_running_one_consumer_share_them(names):
    stock_sync: list[uuid.UUID] = []
    intake_a: list[uuid.UUID] = []
    intake_b: list[uuid.UUID] = []
    for consumer, seen in [("stock-sync", stock_sync), ("webhook-intake", intake_a), ("webhook-intake", intake_b)]:
        transport = names()
        transport.subscribe("StockChanged", lambda envelope, seen=seen: seen.append(envelope.event_id), name=consumer)
        transport.start()
    publisher = names()
    events = _events(300)
    for start in range(0, 300, 50):
        publisher.publish(events[start:start + 50])
    published = {event.event_id for event in events}
    _wait(lambda: len(stock_sync) >= 300 and len(intake_a) + len(intake_b) >= 300)
    time.sleep(0.5)
    # Before, the durable was named per event type: the two consumers split the events between them.
    assert sorted(stock_sync) == sorted(published)
    assert sorted(intake_a + intake_b) == sorted(published)


def test_an_event_failing_past_max_deliver_goes_to_the_dead_letter_subject_with_its_reason(names):
    transport = names(delivery=Delivery(max_deliver=3, ack_wait_s=5, retry_delay_s=0.05))
    poison, *fine = _events(5, "ShipmentShipped")
    tries: Counter[uuid.UUID] = Counter()
    done: list[uuid.UUID] = []

    def consume(envelope: Envelope) -> None:
        tries[envelope.event_id] += 1
        if envelope.event_id == poison.event_id:
            raise ValueError("no carrier for this shipment")
        done.append(envelope.event_id)

    transport.subscribe("ShipmentShipped", consume, name="shipment-notices")
    transport.start()
    transport.publish([poison, *fine])
    _wait(lambda: transport.dead_letters())
    [letter] = transport.dead_letters()
    assert (letter.consumer, letter.event_type, letter.event_id) == ("shipment-notices", "ShipmentShipped",
                                                                      poison.event_id)
    assert letter.reason == "ValueError: no carrier for this shipment" and letter.deliveries == 3
    time.sleep(0.5)
    assert tries[poison.event_id] == 3  # offered max_deliver times, then set aside: not again
    assert sorted(done) == sorted(event.event_id for event in fine)


def test_the_stream_and_its_consumers_have_limits(names):
    transport = names(limits=StreamLimits(max_age_s=3600, max_bytes=50 << 20, duplicate_window_s=90),
                      delivery=Delivery(max_deliver=4, ack_wait_s=12))
    transport.subscribe("OrderReceived", lambda envelope: None, name="webhook-intake")
    transport.start()
    transport.publish(_events(1, "OrderReceived"))
    stream = transport._run(transport._jetstream.stream_info(transport._stream)).config
    assert (stream.max_age, stream.max_bytes, stream.duplicate_window) == (3600, 50 << 20, 90)
    assert stream.discard == "old"
    durable = transport.durable_name("webhook-intake", "OrderReceived")
    _wait(lambda: _consumer(transport, durable) is not None)
    consumer = _consumer(transport, durable).config
    assert consumer.ack_policy == "explicit" and consumer.max_deliver == 4 and consumer.ack_wait == 12
    assert consumer.deliver_subject is None  # pulled, not pushed


def _consumer(transport: NatsTransport, durable: str):  # type: ignore[no-untyped-def]
    from nats.js.errors import NotFoundError

    try:
        return transport._run(transport._jetstream.consumer_info(transport._stream, durable))
    except NotFoundError:
        return None


def test_closing_finishes_the_events_in_hand_and_acks_them(names):
    transport = names()
    started, acted = threading.Event(), []

    def slow(envelope: Envelope) -> None:
        started.set()
        time.sleep(0.2)
        acted.append(envelope.event_id)

    transport.subscribe("StockChanged", slow, name="stock-sync")
    transport.start()
    events = _events(5)
    transport.publish(events)
    assert started.wait(10)
    transport.close(drain_s=10)
    assert sorted(acted) == sorted(event.event_id for event in events)  # the batch in hand was finished
    again: list[uuid.UUID] = []
    successor = names()
    successor.subscribe("StockChanged", lambda envelope: again.append(envelope.event_id), name="stock-sync")
    successor.start()
    time.sleep(2.0)
    assert again == []  # and acked: nothing comes back to the consumer's next process
