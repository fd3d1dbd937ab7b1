"""Two `flexhub worker` processes on PostgreSQL share the queue: each outbound delivery goes out once, and a job
held by a worker killed with SIGKILL is taken over by the other once its lease runs out."""

import os
import signal
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from flexhub.bootstrap import Hub, bootstrap
from flexhub.bus.transport import Envelope
from flexhub.db.jobs import QueuedJob
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.notifications import repository
from flexhub.notifications.delivery import EventIntake
from flexhub.notifications.model import WebhookDelivery
from flexhub.settings import Settings
from flexhub.testing.builders import create_tenant
from flexhub.testing.processes import Receiver, wait_until, workers

DELIVERIES = 60
SECRET_KEY = Fernet.generate_key().decode()
WORKER_SETTINGS = {"secret_key": SECRET_KEY, "job_lease_s": "3", "lease_s": "3", "push_interval_s": "0.05"}


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    hub = bootstrap(Settings(database_url=database_url, secret_key=SECRET_KEY))
    yield hub
    hub.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def queued_deliveries(hub: Hub, url: str, count: int) -> list[Envelope]:
    """An endpoint on `url` and `count` events for it, each a delivery with its job on the queue."""
    admin = create_tenant(hub, "acme")
    with hub.uow() as uow:
        repository.insert_endpoint(uow.connection, {
            "id": new_id(), "tenant_id": admin.tenant_id, "partner_id": None, "url": url,
            "secret": hub.vault.seal({"secret": "whsec_" + "a" * 32}), "event_types": ["AlertRaised"], "active": True,
            "allow_private": True})  # the receiver listens on loopback
        uow.commit()
    envelopes = [Envelope(new_id(), admin.tenant_id, "AlertRaised", {"n": n}, clock.now()) for n in range(count)]
    intake = EventIntake(hub.uow)
    for envelope in envelopes:
        intake(envelope)
    return envelopes


def deliveries(hub: Hub) -> list:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(WebhookDelivery)))


def jobs_left(hub: Hub) -> list:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(QueuedJob)))


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_workers_send_each_delivery_once_and_take_over_from_a_killed_one(hub: Hub, receiver: Receiver) -> None:
    envelopes = queued_deliveries(hub, receiver.url, DELIVERIES)
    held = str(envelopes[0].event_id)
    receiver.hold(held)  # its first post hangs: the worker sending it is killed mid-post

    with workers(hub.settings.database_url, 2, **WORKER_SETTINGS) as started:
        assert receiver.holding.wait(60), "no worker sent the held delivery"
        (job,) = [j for j in jobs_left(hub) if j.payload["delivery_id"] in
                  {str(d.id) for d in deliveries(hub) if str(d.event_id) == held}]
        victim = int(job.lease_owner.split(":")[1])
        assert victim in {p.pid for p in started}
        os.kill(victim, signal.SIGKILL)

        assert wait_until(lambda: all(d.state == "delivered" for d in deliveries(hub)), timeout_s=60)
        survivor = next(p for p in started if p.pid != victim)
        assert survivor.poll() is None

    assert receiver.posts[held] == 2  # once to the killed worker, once after its lease ran out
    others = {str(e.event_id): receiver.posts[str(e.event_id)] for e in envelopes[1:]}
    assert others == {event_id: 1 for event_id in others}  # every other delivery exactly once
    assert jobs_left(hub) == []
    (taken_over,) = [d for d in deliveries(hub) if str(d.event_id) == held]
    assert taken_over.attempts == 2
