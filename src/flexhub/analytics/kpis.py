"""The KPIs: each one aggregate over a fact, for the whole tenant and per channel, node or SKU.

- processing time: seconds from received to shipped, p50/p90/p99 and mean, over orders received in
  the window that shipped; `approximated` counts those timed by their status (see `facts`).
- fill rate: units reserved from stock / units ordered, over orders received in the window.
- stock-out rate: days on which nothing was available / days; per SKU and overall network-wide
  (all nodes together), per node over that node's SKU-days.
- turnover days: on-hand unit-days / units shipped (average on hand ÷ units shipped a day); none
  where nothing shipped.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from flexhub.analytics.facts import Window, build

EVERYTHING = "all"


@dataclass(frozen=True, slots=True)
class Kpi:
    aggregates: str
    sources: dict[str, str]  # dimension (or EVERYTHING) -> the fact it is computed over
    where: str = "true"


KPIS = {
    "processing_time": Kpi(
        "count(*) AS orders_shipped, quantile_cont(processing_s, 0.5) AS p50_s, "
        "quantile_cont(processing_s, 0.9) AS p90_s, quantile_cont(processing_s, 0.99) AS p99_s, "
        "avg(processing_s) AS mean_s, count(*) FILTER (WHERE timing = 'status') AS approximated",
        {EVERYTHING: "order_facts", "channel": "order_facts", "node": "order_facts"}, "shipped_at IS NOT NULL"),
    "fill_rate": Kpi(
        "count(DISTINCT order_id) AS orders, CAST(sum(quantity) AS BIGINT) AS units_ordered, "
        "CAST(coalesce(sum(quantity) FILTER (WHERE filled), 0) AS BIGINT) AS units_filled, "
        "units_filled / units_ordered AS fill_rate",
        {EVERYTHING: "line_facts", "channel": "line_facts", "sku": "line_facts"}),
    "stock_out_rate": Kpi(
        "count(*) AS days, count(*) FILTER (WHERE available <= 0) AS days_out, days_out / days AS stock_out_rate",
        {EVERYTHING: "sku_days", "sku": "sku_days", "node": "stock_days"}),
    "turnover": Kpi(
        "sum(on_hand) / count(DISTINCT day) AS average_on_hand, "
        "CAST(coalesce(sum(shipped), 0) AS BIGINT) AS units_shipped, "
        "CASE WHEN sum(shipped) > 0 THEN sum(on_hand) / sum(shipped) END AS turnover_days",
        {EVERYTHING: "sku_days", "sku": "sku_days", "node": "stock_days"}),
}


def table(connection: duckdb.DuckDBPyConnection, kpi: str, dimension: str = EVERYTHING) -> pl.DataFrame:
    spec = KPIS[kpi]
    source = spec.sources[dimension]  # the dimension is one of ours, never the caller's text
    if dimension == EVERYTHING:
        query = f"SELECT {spec.aggregates} FROM {source} WHERE {spec.where}"
    else:
        query = (f"SELECT {dimension}, {spec.aggregates} FROM {source} WHERE {spec.where} "
                 f"GROUP BY {dimension} ORDER BY {dimension} NULLS LAST")
    return connection.sql(query).pl().with_columns(pl.col(pl.Float64).round(4))


def tables(connection: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every KPI by every dimension, named `<kpi>` (whole tenant) or `<kpi>_by_<dimension>`."""
    return {f"{kpi}{_suffix(dimension, '_')}": table(connection, kpi, dimension)
            for kpi, spec in KPIS.items() for dimension in spec.sources}


def report(source: dict[str, pa.Table], window: Window) -> dict[str, Any]:
    """The KPIs as one document: per KPI, `all` (one row) and `by_<dimension>` (a row each)."""
    connection = build(source, window)
    try:
        body: dict[str, Any] = {"window": {"days": window.days, "from": _iso(window.start), "to": _iso(window.end)}}
        for kpi, spec in KPIS.items():
            body[kpi] = {_suffix(dimension) or EVERYTHING: table(connection, kpi, dimension).to_dicts()
                         for dimension in spec.sources}
            body[kpi][EVERYTHING] = body[kpi][EVERYTHING][0]
        return body
    finally:
        connection.close()


def _suffix(dimension: str, separator: str = "") -> str:
    return "" if dimension == EVERYTHING else f"{separator}by_{dimension}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"
