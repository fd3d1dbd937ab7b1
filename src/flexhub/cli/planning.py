"""`flexhub planning`: the learned forecast from the terminal — train it again now for a tenant (as
`POST /api/v1/replenishment/forecast/model` does; the schedule does it every FLEXHUB_FORECAST_RETRAIN_DAYS), and
show the model the plans use with its error over its hold-out and its latest training runs."""

import json
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from flexhub.cli.tenants import as_tenant
from flexhub.kernel import clock
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.queries import model_status

app = typer.Typer(help="Planning: the learned forecast.", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")
JsonOption = typer.Option(False, "--json", help="print JSON instead of a table")


@app.command()
def retrain(tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """Train the tenant's learned forecast on its history up to today; the plans use it from then on. Too short a
    history or LightGBM missing: its code, exit 1, nothing kept."""
    with as_tenant(tenant) as (hub, actor):
        columns = (SpinnerColumn(), TextColumn("training the learned forecast"), TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True, disable=as_json):
            hub.handle(TrainForecastModel(actor=actor, trigger="cli"))
        found = _status(hub, actor.tenant_id)
    _print(found, as_json)


@app.command()
def model(tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """The forecast the plans use now, the kept model's hold-out error and its latest training runs."""
    with as_tenant(tenant) as (hub, actor):
        found = _status(hub, actor.tenant_id)
    _print(found, as_json)


def _status(hub: Any, tenant_id: Any) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return model_status(uow.connection, tenant_id, today=clock.now().date(),
                            retrain_every_days=hub.settings.forecast_retrain_days)


def _print(found: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(found, default=_iso, ensure_ascii=False))
        return
    console = Console()
    console.print(f"forecast used: {found['method']}" + (f" ({found['method_reason']})"
                                                          if found["method_reason"] else ""), soft_wrap=True)
    if found.get("trained_at"):
        console.print(f"model trained {found['trained_at']:%Y-%m-%d %H:%M} UTC by {found['trained_by']}: "
                      f"{found['series']} series, {found['history_days']} days, {found['seconds']:.1f} s",
                      soft_wrap=True)
    if found["holdout"] and found["holdout"]["holdout_wape"] is not None:
        held = found["holdout"]
        console.print(f"hold-out ({held['holdout_days']} days): WAPE {held['holdout_wape']:.1%}, bias "
                      f"{held['holdout_bias']:+.1%}; the numpy core's WAPE {held['core_wape']:.1%}", soft_wrap=True)
    if found["next_retrain_at"]:
        console.print(f"next scheduled training: {found['next_retrain_at']:%Y-%m-%d %H:%M} UTC "
                      f"(every {found['retrain_every_days']:g} days)", soft_wrap=True)
    table = Table("started (UTC)", "trigger", "outcome", "seconds", "series", "days", "hold-out WAPE", "core WAPE",
                  title="training runs")
    for run in found["runs"]:
        table.add_row(f"{run['started_at']:%Y-%m-%d %H:%M}", run["trigger"],
                      run["outcome"] if run["error_code"] is None else f"{run['outcome']}: {run['error_code']}",
                      f"{run['seconds']:.1f}", str(run["series"]), str(run["history_days"]),
                      _share(run["holdout_wape"]), _share(run["core_wape"]))
    console.print(table)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _iso(value: Any) -> str:
    """Times and days as the API writes them (ISO 8601)."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
