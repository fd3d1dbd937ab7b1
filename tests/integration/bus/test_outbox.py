"""The outbox: events committed with their change, relayed at least once, acted on once per consumer."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from flexhub.bootstrap import Hub
from flexhub.bus.consumers import once_per_event
from flexhub.bus.relay import OutboxRelay
from flexhub.bus.transport import Envelope, InProcessTransport
from flexhub.db import outbox as outbox_rows
from flexhub.db.outbox import ConsumedEvent
from flexhub.identity.model import Tenant
from flexhub.inventory.events import StockChanged
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.testing.builders import create_shop, import_order, line
from flexhub.testing.clocks import movable_clock
from flexhub.testing.snapshots import outbox


class Recorder:
    """A subscriber that keeps every envelope it is handed; it can be told to fail the next delivery."""

    def __init__(self) -> None:
        self.seen: list[Envelope] = []
        self.fail_next = False

    def __call__(self, envelope: Envelope) -> None:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("the consumer's far end is down")
        self.seen.append(envelope)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def relay(hub: Hub, recorder: Recorder) -> OutboxRelay:
    """A relay of our own onto a transport with only the recorder on it."""
    transport = InProcessTransport()
    transport.subscribe("*", recorder)
    return OutboxRelay(hub.uow, transport)


def test_an_import_writes_its_events_in_its_own_transaction(hub: Hub) -> None:
    admin = create_shop(hub)
    rows = len(outbox(hub))
    imported = import_order(hub, admin, lines=[line(quantity=2)])
    new = outbox(hub)[rows:]
    assert sorted(e.type for e in new) == ["OrdersReceived", "StockChanged"]
    received = next(e for e in new if e.type == "OrdersReceived")
    assert received.body == {"orders": [{"order_id": str(imported.order_id), "channel": "web", "external_id": "A-1001",
                                         "status": "reserved"}]}
    assert all(e.tenant_id == admin.tenant_id and e.published_at is None for e in new)


def test_events_of_a_transaction_that_does_not_commit_are_never_written(hub: Hub) -> None:
    tenant_id = new_id()
    with hub.uow() as uow:
        uow.connection.execute(insert(Tenant).values(id=tenant_id, code="ghost", name="Ghost"))
        uow.record(StockChanged(tenant_id=tenant_id, levels=[], cause="test"))
        # no commit: the change and its event go together
    with hub.uow() as uow:
        uow.connection.execute(insert(Tenant).values(id=tenant_id, code="ghost", name="Ghost"))
        uow.record(StockChanged(tenant_id=tenant_id, levels=[], cause="test"))
        committed = uow.commit()
    assert [(e.type, e.event_id) for e in outbox(hub)] == [("StockChanged", committed[0].event_id)]


def test_the_relay_publishes_pending_events_in_order_and_marks_them(hub: Hub, relay: OutboxRelay,
                                                                    recorder: Recorder) -> None:
    admin = create_shop(hub)
    import_order(hub, admin)
    pending = outbox(hub)
    assert relay.run_once() == len(pending)
    assert [e.event_id for e in recorder.seen] == [e.event_id for e in pending]
    assert recorder.seen[0].subject == f"flexhub.{admin.tenant_id}.StockChanged"
    assert all(e.published_at is not None for e in outbox(hub))
    assert relay.run_once() == 0
    assert len(recorder.seen) == len(pending)


def test_a_failed_publish_is_published_again_at_least_once(hub: Hub, relay: OutboxRelay, recorder: Recorder) -> None:
    admin = create_shop(hub)
    import_order(hub, admin)
    pending = outbox(hub)
    recorder.fail_next = True  # one delivery fails half way through the batch
    with pytest.raises(ConnectionError):
        relay.run_once()
    assert all(e.published_at is None for e in outbox(hub))  # nothing marked: nothing lost
    assert relay.run_once() == len(pending)
    delivered = {e.event_id for e in recorder.seen}
    assert delivered == {e.event_id for e in pending}
    assert len(recorder.seen) >= len(pending)


def envelope() -> Envelope:
    return Envelope(new_id(), new_id(), "StockChanged", {"levels": [], "cause": "test"}, clock.now())


def consumed(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return uow.connection.scalar(select(func.count()).select_from(ConsumedEvent))


def test_a_once_per_event_consumer_acts_once_when_an_event_is_delivered_twice(hub: Hub) -> None:
    acted: list[Envelope] = []
    consume = once_per_event("channel-sync", hub.uow, lambda e, uow: acted.append(e))
    event = envelope()
    consume(event)
    consume(event)
    assert acted == [event]
    other = once_per_event("webhooks", hub.uow, lambda e, uow: acted.append(e))
    other(event)  # each consumer keeps its own record
    assert acted == [event, event]
    assert consumed(hub) == 2


def test_a_consumer_that_fails_acts_again_on_redelivery(hub: Hub) -> None:
    acted: list[Envelope] = []

    def act(event: Envelope, uow) -> None:
        if not acted:
            acted.append(event)
            raise ConnectionError("carrier API down")
        acted.append(event)

    consume = once_per_event("carrier", hub.uow, act)
    event = envelope()
    with pytest.raises(ConnectionError):
        consume(event)
    assert consumed(hub) == 0  # the mark is rolled back with the failure
    consume(event)
    consume(event)
    assert acted == [event, event] and consumed(hub) == 1


def test_concurrent_deliveries_of_one_event_act_once(hub: Hub) -> None:
    acted: list[Envelope] = []
    lock = threading.Lock()

    def act(event: Envelope, uow) -> None:
        with lock:
            acted.append(event)

    consume = once_per_event("analytics", hub.uow, act)
    event = envelope()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: consume(event), range(8)))
    assert acted == [event] and consumed(hub) == 1


def test_two_relays_never_publish_the_same_rows(hub: Hub) -> None:
    admin = create_shop(hub)
    for n in range(30):
        import_order(hub, admin, external_id=f"A-{n}")
    recorders = [Recorder(), Recorder()]
    # Each relay's first delivery waits for the other's: both hold a claimed batch at once, whichever thread the box
    # runs first (a sleep between batches left it to the scheduler, and one relay once drained everything alone).
    both = threading.Barrier(2)
    relays = []
    for recorder in recorders:
        transport = InProcessTransport()
        transport.subscribe("*", first_waits(both, recorder))
        relays.append(OutboxRelay(hub.uow, transport, batch=7))

    def drain(relay: OutboxRelay) -> None:
        while relay.run_once():
            pass

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(drain, relays))
    first, second = ({e.event_id for e in r.seen} for r in recorders)
    assert first and second  # both took part…
    assert not first & second  # …and no row went out twice
    assert first | second == {e.event_id for e in outbox(hub)}
    assert all(len(r.seen) == len({e.event_id for e in r.seen}) for r in recorders)


def first_waits(barrier: threading.Barrier, recorder: Recorder) -> Callable[[Envelope], None]:
    waiting = [barrier]

    def deliver(envelope: Envelope) -> None:
        if waiting:
            waiting.pop().wait(timeout=30)
        recorder(envelope)
    return deliver


def test_rows_a_dead_relay_claimed_are_published_by_another_once_its_claim_runs_out(hub: Hub, recorder: Recorder
                                                                                    ) -> None:
    admin = create_shop(hub)
    import_order(hub, admin)
    with hub.uow() as uow:  # a relay claimed these, then died before publishing
        claimed = outbox_rows.claim(uow.connection, "relay:dead", 100, claim_s=60)
        uow.commit()
    transport = InProcessTransport()
    transport.subscribe("*", recorder)
    relay = OutboxRelay(hub.uow, transport)
    assert relay.run_once() == 0
    with movable_clock(clock.now() + timedelta(seconds=61)):
        assert relay.run_once() == len(claimed)
    assert [e.event_id for e in recorder.seen] == [r.event_id for r in claimed]
