"""The JetStream transport against the local NATS server: delivery, and duplicates dropped by Nats-Msg-Id."""

import os
import socket
import threading
import uuid
from datetime import UTC, datetime

import pytest

from flexhub.bus.transport import Envelope

pytest.importorskip("nats")


def _nats_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 4222), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def transport():
    if not _nats_up():
        if os.environ.get("CI") == "true":
            pytest.fail("NATS is not reachable on 127.0.0.1:4222 under CI")
        pytest.skip("no NATS server on 127.0.0.1:4222")
    from flexhub.bus.nats_transport import NatsTransport

    # A stream and subjects of its own, so parallel runs never see each other's events.
    name = f"FLEXHUB_TEST_{uuid.uuid4().hex[:8].upper()}"
    nats_transport = NatsTransport(stream=name, prefix=name.lower())
    yield nats_transport
    nats_transport._run(nats_transport._jetstream.delete_stream(name))
    nats_transport.close()


def test_events_arrive_once_even_when_published_twice(transport):
    tenant = uuid.uuid4()
    received, arrived = [], threading.Event()

    def consumer(envelope: Envelope) -> None:
        received.append(envelope)
        arrived.set()

    transport.subscribe("StockChanged", consumer)
    event = Envelope(uuid.uuid4(), tenant, "StockChanged", {"levels": [{"sku_id": "x", "available": 3}]},
                     datetime.now(UTC))
    transport.publish([event])
    transport.publish([event])  # the relay crashed before marking it: JetStream drops the copy
    assert arrived.wait(10)
    threading.Event().wait(1.0)
    assert [e.event_id for e in received] == [event.event_id]
    assert received[0].body == event.body and received[0].tenant_id == tenant
