"""Reconciliation end to end through the sandbox, on SQLite and PostgreSQL: every platform's store is
read back with the platform's own stock-read call; a figure changed behind the hub's back is found,
recorded and pushed right; a platform answering 429 is waited out; Kuaishou, which takes only
differences, gets its first figure from a read of the store's own count.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from flexhub.channels import polling, queries
from flexhub.channels.dashboard import channel_page
from flexhub.channels.model import Reconciliation, StockDrift
from flexhub.identity.model import AuditEntry
from flexhub.sandbox.platforms import available
from flexhub.sandbox.stage import Stage, staged
from flexhub.sandbox.stage import every_store_shows as shows
from flexhub.sync.reconcile import reconcile_channel
from flexhub.testing.builders import create_location, create_sku, receive

SKU = "TEE-RED-M"
OWN_COUNT = 5  # what the Kuaishou store shows before the hub's first push


@pytest.fixture
def stage(database_url: str) -> Iterator[Stage]:
    with staged(database_url, push_interval_s=0.2, reconcile_interval_s=0, hold_back_quantile=0) as stage:
        create_sku(stage.hub, stage.admin, SKU)
        create_location(stage.hub, stage.admin, "WH-CENTRAL")
        for platform in available():
            stage.open(platform, f"{platform}-shop", [SKU], sells=False,
                       quantity=OWN_COUNT if platform == "kuaishou" else 0)
        receive(stage.hub, stage.admin, SKU, "WH-CENTRAL", 20)
        every_store_shows(stage, 20)
        yield stage


def test_kuaishou_reads_its_count_first_and_pushes_the_difference(stage: Stage) -> None:
    store = stage.market.store("kuaishou", "kuaishou-shop")
    calls = [entry.path for entry in store.log]
    assert calls.index("/open/item/sku/list/get") < calls.index("/open/item/sku/stock/update")
    # From its own 5: -5 when it is listed with nothing in the pool yet, then +20 as the stock comes in (or +15 at
    # once, when both land in one planning), never a difference from a figure it does not hold.
    assert [f.quantity for f in store.figures] in ([0, 20], [20])


def test_a_figure_changed_behind_our_back_is_found_recorded_and_pushed_right(stage: Stage) -> None:
    for n, store in enumerate(stage.market.stores.values()):
        with store.lock:  # a person edits the figure in each platform's own back office
            store.listing(SKU).quantity = 3 + n
    found = {}
    for store in stage.market.stores.values():
        channel = polling.channel_by_code(stage.hub, stage.admin.tenant_id, store.code)
        found[store.platform.name] = reconcile_channel(stage.hub, channel, stage.admin, settle_s=0)

    for platform, result in found.items():
        assert result["errors"] == [], platform
        assert result["listings_read"] == 1 and result["drifted"] == 1, platform
        drift = result["drifts"][0]
        assert drift["our_quantity"] == 20 and drift["difference"] == drift["platform_quantity"] - 20, platform
    every_store_shows(stage, 20)
    with stage.hub.uow(write=False) as uow:
        recorded = queries.drift_found(uow.connection, stage.admin.tenant_id)
        runs = uow.connection.execute(select(func.count()).select_from(Reconciliation)).scalar()
        audited = uow.connection.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "channel.reconcile")).scalar()
    assert {(r["channel"], r["platform_quantity"], r["our_quantity"]) for r in recorded} == {
        (store.code, 3 + n, 20) for n, store in enumerate(stage.market.stores.values())}
    assert runs == audited == len(stage.market.stores)
    with stage.hub.uow(write=False) as uow:  # what the channels page shows
        shown = channel_page(uow.connection, stage.admin.tenant_id, stage.hub.pusher)
    assert len(shown["drift"]) == len(stage.market.stores)
    for channel in shown["channels"]:
        assert channel["reconciliation"]["drifted"] == 1 and channel["reconciliation"]["trigger"] == "request"
        assert 0 <= channel["rate_limit_use"] <= 1


def test_a_store_in_step_shows_no_drift_and_nothing_is_pushed(stage: Stage) -> None:
    store = stage.market.store("shopify", "shopify-shop")
    figures_before = len(store.figures)
    result = reconcile_channel(stage.hub, polling.channel_by_code(stage.hub, stage.admin.tenant_id, store.code),
                               stage.admin, settle_s=0)
    assert result["drifted"] == 0 and result["verdicts"] == {SKU: "in_sync"}
    with stage.hub.uow(write=False) as uow:
        assert uow.connection.execute(select(func.count()).select_from(StockDrift)).scalar() == 0
    assert len(store.figures) == figures_before


def test_a_platform_answering_429_during_reconciliation_is_waited_out(stage: Stage) -> None:
    store = stage.market.store("amazon", "amazon-shop")
    with store.lock:
        store.listing(SKU).quantity = 11
    bucket = store.buckets["searchListingsItems"]
    while bucket.take(1):  # the seller's searchListingsItems quota is spent: its next answer is 429 QuotaExceeded
        pass
    before = stage.hub.pusher.rate_limited

    result = reconcile_channel(stage.hub, polling.channel_by_code(stage.hub, stage.admin.tenant_id, store.code),
                               stage.admin, settle_s=0)

    assert stage.hub.pusher.rate_limited > before and store.throttled >= 1
    assert result["errors"] == [] and result["drifts"][0]["platform_quantity"] == 11
    every_store_shows(stage, 20)


def every_store_shows(stage: Stage, quantity: int) -> None:
    shows(stage, SKU, quantity)
