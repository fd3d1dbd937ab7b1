"""The import of kept channel messages in a process of its own (`flexhub worker --role import`), on PostgreSQL: a
webhook kept by an API process that runs no jobs wakes it at once (the keep's transaction NOTIFYs as it commits),
not at its interval (a minute here), and the order is imported once; that worker runs the import and no other job."""

import json
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub
from flexhub.channels.model import InboundMessage
from flexhub.channels.platforms.generic import HEADER
from flexhub.db.jobs.model import ScheduleLease
from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.ordering.model import Order
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, order_body, receive
from flexhub.testing.hubs import running_hub
from flexhub.testing.processes import wait_until, workers

SECRET = "webhook-secret"
INTERVAL_S = 60.0  # the import's own polling: far longer than the wake-up may take
WOKEN_WITHIN_S = 5.0


def listening(hub: Hub) -> bool:
    """A backend of this database is listening (the worker's listener has connected)."""
    with hub.uow(write=False) as uow:
        return uow.connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'"),
        ).scalar_one() > 0


def counts(hub: Hub) -> tuple[int, int]:
    """Messages still pending, orders imported."""
    with hub.uow(write=False) as uow:
        pending = uow.connection.execute(select(func.count()).where(InboundMessage.state == "pending")).scalar_one()
        return pending, uow.connection.execute(select(func.count()).select_from(Order)).scalar_one()


def leases(hub: Hub) -> set[str]:
    with hub.uow(write=False) as uow:
        return set(uow.connection.execute(select(ScheduleLease.name)).scalars())


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_webhook_kept_by_an_api_process_wakes_the_import_process_at_once(database_url: str) -> None:
    with running_hub(database_url) as hub:  # the API process: it serves, it runs no job
        admin = create_tenant(hub)
        create_sku(hub, admin)
        create_location(hub, admin)
        receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
        create_channel(hub, admin, "web", credentials={"webhook_secret": SECRET})
        body = json.dumps(order_body("W-1")).encode()
        signature = {HEADER: "sha256=" + hmac_sha256_hex(SECRET, body), "content-type": "application/json"}

        with workers(database_url, 1, "import", inbound_interval_s=str(INTERVAL_S), lease_s="3"):
            assert wait_until(lambda: listening(hub) and "channel-inbound" in leases(hub), timeout_s=90)
            time.sleep(1.0)  # the worker's first turns (at start, and as its listener connected) have found nothing
            posted = time.monotonic()
            answer = TestClient(create_app(hub)).post("/webhooks/generic/web", content=body, headers=signature)
            assert answer.status_code == 200, answer.text
            assert wait_until(lambda: counts(hub) == (0, 1), timeout_s=WOKEN_WITHIN_S, every_s=0.02), counts(hub)
            took = time.monotonic() - posted
            held = leases(hub)

        assert took < WOKEN_WITHIN_S
        assert held == {"channel-inbound"}  # the import role takes no other schedule (the relay, routing…)
