"""The KPI document's shape: each KPI for the whole tenant and by each of its dimensions."""

from datetime import UTC, datetime

from flexhub.analytics.facts import Window
from flexhub.analytics.kpis import report
from flexhub.analytics.queries import SCHEMAS, frame

WEEK = Window.last(7, now=datetime(2025, 6, 18, 12, 0, tzinfo=UTC))


def no_rows() -> dict:
    return {name: frame([], schema).to_arrow() for name, schema in SCHEMAS.items()}


def test_the_report_names_each_kpi_by_dimension() -> None:
    figures = report(no_rows(), WEEK)
    assert figures["window"] == {"days": 7, "from": "2025-06-12T00:00:00Z", "to": "2025-06-18T12:00:00Z"}
    assert {kpi: sorted(parts) for kpi, parts in figures.items() if kpi != "window"} == {
        "processing_time": ["all", "by_channel", "by_node"], "fill_rate": ["all", "by_channel", "by_sku"],
        "stock_out_rate": ["all", "by_node", "by_sku"], "turnover": ["all", "by_node", "by_sku"]}
