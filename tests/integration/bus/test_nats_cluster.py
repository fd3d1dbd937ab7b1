"""A three-node JetStream cluster on loopback, one node killed in the middle of a flash sale's events: every
consumer applies every event, none twice (each consumer acts once per event id in its own transaction, as
`bus.consumers.once_per_event` does in the hub)."""

import threading
import time
import uuid
from datetime import UTC, datetime

from flexhub.bus.consumers import once_per_event
from flexhub.bus.nats_transport import Delivery, NatsTransport, StreamLimits
from flexhub.bus.transport import Envelope
from flexhub.db.engine import build_engine
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.testing import database
from flexhub.testing.nats import cluster, connect_when_ready

EVENTS, BATCH = 1200, 40


def test_a_node_killed_mid_sale_loses_no_event_and_applies_none_twice(tmp_path, sqlite_template):
    engine = build_engine(database.copy_sqlite(sqlite_template, tmp_path / "consumers.db"))
    stream, prefix = f"SALE_{uuid.uuid4().hex[:6].upper()}", "sale"
    options = {"stream": stream, "prefix": prefix, "limits": StreamLimits(replicas=3),
               "delivery": Delivery(ack_wait_s=3, retry_delay_s=0.2), "timeout_s": 5.0}
    applied: dict[str, list[uuid.UUID]] = {"stock-sync": [], "webhook-intake": []}
    deliveries: dict[str, int] = {"stock-sync": 0, "webhook-intake": 0}
    lock = threading.Lock()

    def consumer(name: str):  # type: ignore[no-untyped-def]
        def act(envelope: Envelope, uow: UnitOfWork) -> None:
            with lock:
                applied[name].append(envelope.event_id)

        once = once_per_event(name, lambda write=True: UnitOfWork(engine, write=write), act)

        def deliver(envelope: Envelope) -> None:
            with lock:
                deliveries[name] += 1
            once(envelope)

        return deliver

    with cluster(tmp_path / "nats") as nodes:
        publisher = connect_when_ready(nodes.url, **options)
        transports = [publisher]
        # Stock sync in two processes sharing its durable, webhook intake in one, each on every node's URL.
        for name in ("stock-sync", "stock-sync", "webhook-intake"):
            transport = NatsTransport(nodes.url, **options)
            transport.subscribe("StockChanged", consumer(name), name=name)
            transport.start()
            transports.append(transport)
        tenant = uuid.uuid4()
        events = [Envelope(uuid.uuid4(), tenant, "StockChanged", {"levels": [{"sku_id": str(uuid.uuid4()),
                                                                             "available": n}]}, datetime.now(UTC))
                  for n in range(EVENTS)]
        info = publisher._run(publisher._jetstream.stream_info(stream))
        leader = next(node for node in nodes.nodes if node.name == info.cluster.leader)
        failed_publishes = 0
        started = time.monotonic()
        for number, first in enumerate(range(0, EVENTS, BATCH)):
            if number == EVENTS // BATCH // 3:
                nodes.kill(leader)  # the stream's leader, a third of the way through the sale
            while True:  # as the relay does: a batch not wholly acked is published again
                try:
                    publisher.publish(events[first:first + BATCH])
                    break
                except Exception:
                    failed_publishes += 1
                    time.sleep(0.2)
        published_s = time.monotonic() - started
        deadline = time.monotonic() + 90
        while any(len(set(seen)) < EVENTS for seen in applied.values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(4)  # past ack_wait: anything redelivered late has had its chance to be applied twice
        for transport in transports:
            transport.close(drain_s=5)

    wanted = sorted(event.event_id for event in events)
    for name, seen in applied.items():
        assert sorted(seen) == wanted, f"{name}: {len(set(seen))} of {EVENTS} applied, {len(seen)} applications"
    print(f"{EVENTS} events published in {published_s:.1f} s through a leader kill ({failed_publishes} batches "
          f"published again); deliveries {deliveries}, applications {[len(s) for s in applied.values()]}")
    engine.dispose()
