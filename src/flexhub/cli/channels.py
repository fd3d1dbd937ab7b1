"""`flexhub channels`: backfill orders from a platform, reconcile its stock, see and retry dead letters."""

from datetime import UTC, datetime, timedelta

import httpx2
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from flexhub.bootstrap import bootstrap
from flexhub.channels import inbound, polling, queries
from flexhub.channels.commands import RetryDeadLetters
from flexhub.cli.tenants import tenant_option
from flexhub.sync import reconcile

app = typer.Typer(help="Channels: backfill, reconcile, sync state, dead letters.", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")


@app.command()
def backfill(
    channel: str = typer.Argument(..., help="the channel's code"),
    since: datetime = typer.Option(..., help="from this moment (ISO 8601, UTC when no zone is given)"),
    until: datetime = typer.Option(None, help="to this moment (default: now)"),
    window_hours: float = typer.Option(24.0, help="hours per request window"),
    tenant: str = TenantOption,
) -> None:
    """Fetch every order the channel changed in [since, until) and import it, with a progress bar."""
    hub = bootstrap()
    try:
        actor = tenant_option(hub.uow, tenant)
        row = polling.channel_by_code(hub, actor.tenant_id, channel)
        start, end = _utc(since), _utc(until) if until else datetime.now(UTC)
        window = timedelta(hours=window_hours)
        windows = max(1, -(-int((end - start).total_seconds()) // int(window.total_seconds())))
        columns = (TextColumn(f"backfill {channel}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns) as progress, httpx2.Client(timeout=30) as client:
            task = progress.add_task("windows", total=windows)
            kept = polling.backfill(hub, row, client, start, end, window, lambda n: progress.advance(task, n))
        while inbound.process_pending(hub):
            pass
        Console().print(f"kept and imported {kept} orders from {channel}")
    finally:
        hub.close()


@app.command("sync")
def sync_state(channel: str = typer.Argument(...), tenant: str = TenantOption) -> None:
    """Each listing's figure on the channel: wanted, confirmed, waiting or dead."""
    hub = bootstrap()
    try:
        actor = tenant_option(hub.uow, tenant)
        with hub.uow(write=False) as uow:
            rows = queries.sync_status(uow.connection, actor.tenant_id, channel)
    finally:
        hub.close()
    table = Table("external sku", "sku", "wanted", "confirmed", "state", "attempts", "last error", title=channel)
    for r in rows:
        table.add_row(r["external_sku"], r["sku"], str(r["quantity"]), str(r["pushed_quantity"]), r["state"],
                      str(r["attempts"]), r["last_error"] or "")
    Console().print(table)


@app.command("reconcile")
def reconcile_stock(channel: str = typer.Argument(..., help="the channel's code"), tenant: str = TenantOption) -> None:
    """Read every listing's stock back from the platform; drift is recorded and pushed right."""
    hub = bootstrap()
    try:
        actor = tenant_option(hub.uow, tenant)
        found = reconcile.reconcile_channel(hub, polling.channel_by_code(hub, actor.tenant_id, channel), actor)
        while hub.pusher.run_once():  # the corrections go out before the command ends
            pass
    finally:
        hub.close()
    table = Table("external sku", "platform", "ours", "difference", title=f"{channel}: drift found")
    for d in found["drifts"]:
        table.add_row(d["external_sku"], str(d["platform_quantity"]), str(d["our_quantity"]), f"{d['difference']:+d}")
    console = Console()
    console.print(table)
    console.print(f"read {found['listings_read']} listings, {found['drifted']} drifted by {found['units']} units, "
                  f"{found['unread']} not answered for")
    for error in found["errors"]:
        console.print(f"[red]{error}[/red]")


@app.command("retry-dead-letters")
def retry_dead_letters(channel: str = typer.Argument(...), tenant: str = TenantOption) -> None:
    """Send the channel's dead letters again."""
    hub = bootstrap()
    try:
        count = hub.handle(RetryDeadLetters(actor=tenant_option(hub.uow, tenant), channel=channel)).retried
    finally:
        hub.close()
    Console().print(f"{count} listings will be pushed again")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
