"""`flexhub erp`: the tenant's ERP connections from the terminal — sync one now with a progress bar, show its
status (last sync, backlog, errors)."""

import json

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from flexhub.cli.tenants import as_tenant
from flexhub.erp import queries
from flexhub.erp.commands import SyncConnection

app = typer.Typer(help="ERP: connections to Odoo, ERPNext or Kingdee.", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")
JsonOption = typer.Option(False, "--json", help="print JSON instead of text")


@app.command()
def sync(code: str = typer.Argument(..., help="the connection's code"), tenant: str = TenantOption,
         as_json: bool = JsonOption) -> None:
    """Send every document waiting for the ERP, then read what changed there since the last cursor."""
    with as_tenant(tenant) as (hub, actor), Progress(TextColumn("{task.description}"), BarColumn(),
                                                      MofNCompleteColumn(), disable=as_json) as bar:
        steps: dict[str, TaskID] = {}

        def progress(step: str, done: int, of: int) -> None:
            if step not in steps:
                steps[step] = bar.add_task(step, total=max(of, 1))
            bar.update(steps[step], completed=done if of else 1, total=max(of, 1))

        synced = hub.handle(SyncConnection(actor=actor, code=code, on_progress=progress))
    if as_json:
        print(json.dumps({"code": synced.code, "sent": synced.sent, "failed": synced.failed, "read": synced.read,
                          "errors": synced.errors}, ensure_ascii=False))
        return
    read = ", ".join(f"{n} {stream.replace('_', ' ')}" for stream, n in synced.read.items()) or "nothing"
    console = Console()
    console.print(f"{code}: {synced.sent} sent, {synced.failed} failed; read {read}", markup=False)
    for error in synced.errors:
        console.print(error, markup=False)


@app.command()
def status(code: str = typer.Argument(..., help="the connection's code"), tenant: str = TenantOption,
           as_json: bool = JsonOption) -> None:
    """Last sync, backlog, and what failed with its reason: a failing read, each document whose last try failed."""
    with as_tenant(tenant) as (hub, actor), hub.uow(write=False) as uow:
        view = queries.status(uow.connection, actor.tenant_id, code)
    if as_json:
        print(json.dumps(view, default=str, ensure_ascii=False))
        return
    console = Console()
    console.print(f"{code} ({view['kind']}): last sync {view['last_sync_at'] or 'never'}, backlog {view['backlog']},"
                  f" sent {view['sent']}, parked {view['dead']}, unmapped {view['unmapped']}", markup=False)
    for error in view["errors"]:
        what = "reading from the ERP" if error["source"] == "read" else f"{error['kind']} {error['hub_ref']}"
        again = f", next try {error['next_try_at']}" if error["next_try_at"] else ""
        console.print(f"  {what} [{error['state']}, {error['attempts']} tries{again}]: {error['error']}",
                      markup=False)
