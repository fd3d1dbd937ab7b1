"""`flexhub analytics`: the KPIs as JSON, or exported with their facts as CSV or Parquet files."""

import json
import uuid
from pathlib import Path
from types import ModuleType

import typer
from rich.console import Console

from flexhub.analytics import extra
from flexhub.analytics.errors import AnalyticsUnavailable, UnknownFormat
from flexhub.bootstrap import Hub, bootstrap
from flexhub.cli.tenants import tenant_option

app = typer.Typer(help="Analytics: KPIs over orders and the stock ledger (needs the `analytics` extra).",
                  no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")
DaysOption = typer.Option(30, min=1, max=366, help="the last DAYS days (UTC, today included)")


@app.command()
def kpis(days: int = DaysOption, tenant: str = TenantOption) -> None:
    """Print the KPIs as JSON (what GET /api/v1/analytics/kpis answers)."""
    service = _service()
    hub = bootstrap()
    try:
        report = service.kpi_report(hub.uow, _tenant_id(hub, tenant), days=days)
    finally:
        hub.close()
    print(json.dumps(report, indent=2, default=str))


@app.command()
def export(
    out: Path = typer.Option(..., "--out", help="the directory to write into (created if missing)"),
    format: str = typer.Option("parquet", "--format", help="csv or parquet"),
    days: int = DaysOption,
    tenant: str = TenantOption,
) -> None:
    """Write the facts (orders, order lines, stock per day) and each KPI table, one file per table."""
    service = _service()
    hub = bootstrap()
    try:
        written = service.export_files(hub.uow, _tenant_id(hub, tenant), days=days, directory=out, format=format)
    except UnknownFormat as error:
        raise typer.BadParameter(error.message, param_hint="--format") from error
    finally:
        hub.close()
    Console().print(f"wrote {len(written)} {format} files to {out}")


def _service() -> ModuleType:
    """The analytics service, or exit with what to install."""
    try:
        extra.require()
    except AnalyticsUnavailable as error:
        Console(stderr=True).print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    from flexhub.analytics import service  # only now: it cannot load without the extra

    return service


def _tenant_id(hub: Hub, code: str) -> uuid.UUID:
    return tenant_option(hub.uow, code).tenant_id
