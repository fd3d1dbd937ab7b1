"""`flexhub analytics export` and `kpis` on each backend: one file per fact and KPI table, read back."""

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from flexhub.analytics.kpis import KPIS
from flexhub.bootstrap import Hub
from flexhub.cli.main import app

FACTS = {"order_facts", "line_facts", "stock_days", "sku_days"}
KPI_TABLES = {f"{kpi}{'' if d == 'all' else f'_by_{d}'}" for kpi, spec in KPIS.items() for d in spec.sources}


@pytest.fixture
def flexhub(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the CLI against this test's database."""
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))

    def run(*arguments: str, exit_code: int = 0) -> str:
        result = CliRunner().invoke(app, ["analytics", *arguments], catch_exceptions=False)
        assert result.exit_code == exit_code, result.output
        return result.output

    return run


@pytest.mark.parametrize("format", ["parquet", "csv"])
def test_export_writes_every_table(hub: Hub, history: Any, flexhub: Any, tmp_path: Path, format: str) -> None:
    out = tmp_path / "export"
    assert f"wrote {len(FACTS | KPI_TABLES)} {format} files" in flexhub("export", "--tenant", "acme", "--days", "7",
                                                                         "--format", format, "--out", str(out))
    assert {path.name for path in out.iterdir()} == {f"{name}.{format}" for name in FACTS | KPI_TABLES}
    read = pl.read_parquet if format == "parquet" else pl.read_csv
    orders = read(out / f"order_facts.{format}").sort("received_at")
    assert orders["status"].to_list() == ["shipped", "shipped", "shipped", "awaiting_stock", "awaiting_stock"]
    assert orders["processing_s"].to_list()[:3] == [7200.0, 1800.0, 3600.0]
    by_channel = read(out / f"fill_rate_by_channel.{format}")
    assert by_channel.select("channel", "fill_rate").rows() == [("tmall", 0.8), ("web", 0.75)]
    stock = read(out / f"stock_days.{format}")
    assert stock.height == 8  # two SKU-node pairs, 06-15 to 06-18


def test_kpis_prints_the_api_document(hub: Hub, history: Any, flexhub: Any) -> None:
    figures = json.loads(flexhub("kpis", "--tenant", "acme", "--days", "7"))
    assert figures["fill_rate"]["all"]["fill_rate"] == 0.7778


def test_an_unknown_format_or_tenant_is_refused(hub: Hub, history: Any, flexhub: Any, tmp_path: Path) -> None:
    assert "csv, parquet" in flexhub("export", "--tenant", "acme", "--format", "xlsx", "--out", str(tmp_path),
                                     exit_code=2)
    assert "unknown tenant nobody" in flexhub("kpis", "--tenant", "nobody", exit_code=2)
