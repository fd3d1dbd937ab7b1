"""The KPIs over a few days of history, on each backend: exact figures, per channel, node and SKU."""

from typing import Any

import pytest

from flexhub.analytics.facts import Window
from flexhub.analytics.kpis import report
from flexhub.analytics.queries import read_tables
from flexhub.bootstrap import Hub
from flexhub.testing import builders
from flexhub.testing.clocks import MovableClock

pytestmark = pytest.mark.usefixtures("clock")


def kpis(hub: Hub, history: Any, days: int = 7) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        tables = read_tables(uow.connection, history.admin.tenant_id)
    return report(tables, Window.last(days))


def by(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row.pop(key): row for row in rows}


def test_processing_time_runs_from_received_to_the_last_unit_shipped(hub: Hub, history: Any) -> None:
    times = kpis(hub, history)["processing_time"]
    assert times["all"] == {"orders_shipped": 3, "p50_s": 3600.0, "p90_s": 6480.0, "p99_s": 7128.0,
                            "mean_s": 4200.0, "approximated": 1}
    channels = by(times["by_channel"], "channel")
    assert channels["web"] == {"orders_shipped": 2, "p50_s": 4500.0, "p90_s": 6660.0, "p99_s": 7146.0,
                               "mean_s": 4500.0, "approximated": 0}
    assert channels["tmall"]["p50_s"] == 3600.0 and channels["tmall"]["approximated"] == 1
    nodes = by(times["by_node"], "node")
    assert nodes["WH-CENTRAL"]["orders_shipped"] == 2
    assert nodes[None]["orders_shipped"] == 1  # shipped by status: the ledger does not say from where


def test_fill_rate_counts_the_units_that_got_stock(hub: Hub, history: Any) -> None:
    fill = kpis(hub, history)["fill_rate"]
    assert fill["all"] == {"orders": 5, "units_ordered": 9, "units_filled": 7, "fill_rate": 0.7778}
    assert by(fill["by_channel"], "channel") == {
        "tmall": {"orders": 2, "units_ordered": 5, "units_filled": 4, "fill_rate": 0.8},
        "web": {"orders": 3, "units_ordered": 4, "units_filled": 3, "fill_rate": 0.75},
    }
    assert {sku: row["fill_rate"] for sku, row in by(fill["by_sku"], "sku").items()} == {
        "CAP-BLACK": 0.0, "MUG-WHITE": 0.8, "TEE-RED-M": 1.0}


def test_stock_out_rate_counts_days_with_nothing_available(hub: Hub, history: Any) -> None:
    out = kpis(hub, history)["stock_out_rate"]
    assert out["all"] == {"days": 9, "days_out": 3, "stock_out_rate": 0.3333}
    assert by(out["by_sku"], "sku") == {
        "CAP-BLACK": {"days": 1, "days_out": 1, "stock_out_rate": 1.0},  # ordered today, never stocked
        "MUG-WHITE": {"days": 4, "days_out": 2, "stock_out_rate": 0.5},  # all 4 reserved since 06-17
        "TEE-RED-M": {"days": 4, "days_out": 0, "stock_out_rate": 0.0},
    }
    assert {node: row["stock_out_rate"] for node, row in by(out["by_node"], "node").items()} == {
        "STORE-SH": 0.5, "WH-CENTRAL": 0.0}


def test_turnover_days_divide_unit_days_on_hand_by_units_shipped(hub: Hub, history: Any) -> None:
    turnover = kpis(hub, history)["turnover"]
    assert turnover["all"] == {"average_on_hand": 11.75, "units_shipped": 3, "turnover_days": 15.6667}
    skus = by(turnover["by_sku"], "sku")
    assert skus["TEE-RED-M"] == {"average_on_hand": 7.75, "units_shipped": 3, "turnover_days": 10.3333}
    assert skus["MUG-WHITE"]["turnover_days"] is None  # nothing shipped: no turnover to speak of
    assert by(turnover["by_node"], "node")["WH-CENTRAL"]["turnover_days"] == 10.3333


def test_the_window_leaves_older_orders_out_and_keeps_their_stock(hub: Hub, history: Any) -> None:
    figures = kpis(hub, history, days=2)  # 06-17 and 06-18
    assert figures["window"] == {"days": 2, "from": "2025-06-17T00:00:00Z", "to": "2025-06-18T12:00:00Z"}
    assert figures["processing_time"]["all"]["orders_shipped"] == 1  # B-1; came on 06-16
    assert figures["fill_rate"]["all"]["units_ordered"] == 6
    tee = by(figures["turnover"]["by_sku"], "sku")["TEE-RED-M"]
    assert tee == {"average_on_hand": 7.0, "units_shipped": 0, "turnover_days": None}  # opening stock carried in


def test_another_tenant_sees_none_of_it(hub: Hub, history: Any, clock: MovableClock) -> None:
    other = builders.create_shop(hub, code="other", stock=3)
    with hub.uow(write=False) as uow:
        tables = read_tables(uow.connection, other.tenant_id)
    figures = report(tables, Window.last(7))
    assert figures["fill_rate"]["all"]["orders"] == 0
    assert figures["processing_time"]["all"]["orders_shipped"] == 0
    assert [row["sku"] for row in figures["stock_out_rate"]["by_sku"]] == ["TEE-RED-M"]


def test_an_empty_tenant_has_empty_figures(hub: Hub) -> None:
    admin = builders.create_tenant(hub)
    with hub.uow(write=False) as uow:
        figures = report(read_tables(uow.connection, admin.tenant_id), Window.last(30))
    assert figures["processing_time"]["all"]["orders_shipped"] == 0
    assert figures["fill_rate"]["all"]["fill_rate"] is None
    assert figures["turnover"]["by_sku"] == [] and figures["stock_out_rate"]["by_node"] == []
