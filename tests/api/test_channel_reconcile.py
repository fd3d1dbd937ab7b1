"""/api/v1/channels/{code}/reconcile and /drift: reading a store's stock back, on demand.

The end-to-end tests (tests/e2e/test_sandbox_reconcile.py) read real sandbox stores; here the
channel's site is unreachable, so the run is recorded with why it read nothing.
"""

import pytest
import stamina
from sqlalchemy import func, select

from flexhub.channels.model import Reconciliation, StockDrift
from flexhub.testing.api_client import CHANNELS, Api, assert_error
from flexhub.testing.snapshots import snapshot

UNREACHABLE = {"webhook_secret": "s3cret", "base_url": "http://127.0.0.1:9/flexhub"}  # the discard port


@pytest.fixture(autouse=True)
def reads_are_tried_once():
    stamina.set_testing(True, attempts=1)  # an unreachable site is not waited for five times
    yield
    stamina.set_testing(False)


def test_a_reconciliation_that_reads_nothing_is_recorded_with_why(shop: Api) -> None:
    shop.post(CHANNELS, {"code": "site", "platform": "generic", "credentials": UNREACHABLE})
    shop.post(f"{CHANNELS}/site/listings", {"external_sku": "TEE-RED-M", "sku": "TEE-RED-M"})

    result = shop.post(f"{CHANNELS}/site/reconcile", {}, status=200)

    assert (result["channel"], result["trigger"], result["drifted"], result["unread"]) == ("site", "request", 0, 1)
    assert result["errors"] and "TEE-RED-M" in result["errors"][0]
    found = shop.get(f"{CHANNELS}/site/drift", role="viewer")
    assert found["drift"] == [] and found["last_reconciliation"]["unread"] == 1
    assert "TEE-RED-M" in found["last_reconciliation"]["error"]


def test_a_channel_never_reconciled_shows_no_drift(shop: Api) -> None:
    assert shop.get(f"{CHANNELS}/web/drift") == {"channel": "web", "last_reconciliation": None, "drift": []}


def test_an_unknown_channel_is_refused_and_changes_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    assert_error(shop.client.post(f"{CHANNELS}/nowhere/reconcile", headers=shop.headers()), 404,
                 "channels.unknown_channel")
    assert_error(shop.client.get(f"{CHANNELS}/nowhere/drift", headers=shop.headers()), 404,
                 "channels.unknown_channel")
    assert snapshot(shop.hub) == before and _runs(shop) == 0


def test_only_an_admin_reconciles(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(f"{CHANNELS}/web/reconcile", headers=shop.headers("operator"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(shop.hub) == before and _runs(shop) == 0


def _runs(api: Api) -> int:
    with api.hub.uow(write=False) as uow:
        return sum(uow.connection.execute(select(func.count()).select_from(table)).scalar()
                   for table in (Reconciliation, StockDrift))
