"""The demo brand with its weeks of sales before the trading day (demo/history.py), on SQLite as the demo runs: long
enough for the learned forecast, which it trains as the demo does; the forecasts (the model's), the supplier portal,
the suggestions and the stock alerts show real figures, and a SKU sold out at every node that sells it raises a
stock-out alert at each (without history none was raised, and the portal said 0)."""

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexhub.alerts import RaiseAlerts, list_alerts
from flexhub.bootstrap import Hub
from flexhub.catalog import skus_by_code
from flexhub.demo import brand, history, planning
from flexhub.identity import partner_by_code
from flexhub.inventory import location_by_code
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.purchasing.portal import supplier_view
from flexhub.replenishment import forecast_by_node, forecast_for, positions, suggestions
from flexhub.testing import builders
from flexhub.testing.database import copy_sqlite
from flexhub.testing.hubs import running_hub

if os.environ.get("CI") != "true":  # the dev extra brings LightGBM: under CI this fails rather than skips
    pytest.importorskip("lightgbm")

SELLING_NODES = [code for code, kind, *_ in brand.NODES if kind != "supplier"]


@pytest.fixture(scope="module")
def demo_brand(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, Actor]]:
    url = copy_sqlite(sqlite_template, tmp_path_factory.mktemp("demo") / "flexhub.db")
    with running_hub(url) as hub:
        seeded = brand.seed(hub)
        planning.seed(hub, seeded.admin)
        imported = history.seed(hub, seeded.admin)
        assert imported.lines > 10_000 and (clock.now().date() - imported.first_day).days == 7 * history.WEEKS
        trained = planning.train_forecast(hub, seeded.admin)
        # 200 SKUs at the 8 nodes that sell (a few that nothing moved at are no series)
        days = 7 * history.WEEKS
        assert re.match(rf"forecast: lightgbm_global trained on 1[56]\d\d series × {days} days", trained), trained
        yield hub, seeded.admin


def test_forecasts_and_the_supplier_portal_show_the_history(demo_brand: tuple[Hub, Actor]) -> None:
    hub, admin = demo_brand
    with hub.uow(write=False) as uow:
        hot = forecast_for(uow.connection, admin.tenant_id, brand.HOT_SKU, "WH-HZ-CENTRAL", today=clock.now().date())
        portal = supplier_view(uow.connection, admin.tenant_id, _partner_id(hub, admin, planning.MILL),
                               forecast_by_node)
        planned = suggestions(uow.connection, admin.tenant_id, today=clock.now().date())
    assert hot["method"] == planned["method"] == "lightgbm_global"  # the demo trained it on its history
    assert hot["total"] > 28 and hot["error"]["protection_units"] > 0
    assert portal["skus"] and all(s["forecast_28d"] > 0 for s in portal["skus"])
    assert {s["kind"] for s in planned["suggestions"]} >= {"purchase", "transfer"}


def test_a_sku_sold_out_at_every_node_raises_a_stockout_alert_at_each(demo_brand: tuple[Hub, Actor]) -> None:
    hub, admin = demo_brand
    builders.create_channel(hub, admin, "web-history-test")
    sold = 0
    for units in (10, 1):  # tens while they go, then the last units one by one
        while builders.import_order(hub, admin, channel="web-history-test", external_id=f"SELL-OUT-{sold}",
                                    lines=[builders.line(brand.HOT_SKU, units)]).status != "awaiting_stock":
            sold += units
    with hub.uow(write=False) as uow:
        held = positions(uow.connection, admin.tenant_id)
        hot = skus_by_code(uow.connection, admin.tenant_id, [brand.HOT_SKU])[brand.HOT_SKU].id
        nodes = {node: location_by_code(uow.connection, admin.tenant_id, node).id for node in SELLING_NODES}
    assert sold > 100 and all(held[(hot, node_id)]["available"] == 0 for node_id in nodes.values())

    hub.handle(RaiseAlerts())

    with hub.uow(write=False) as uow:
        alerts = list_alerts(uow.connection, admin.tenant_id, kind="stockout", sku=brand.HOT_SKU)
    assert sorted(a["location"] for a in alerts) == sorted(SELLING_NODES)


def _partner_id(hub: Hub, admin: Actor, code: str) -> uuid.UUID:
    with hub.uow(write=False) as uow:
        return partner_by_code(uow.connection, admin.tenant_id, code).id
