"""`flexhub jobs`: the job queue from the terminal — list by state and kind, retry or delete a dead job."""

import uuid
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from flexhub.bootstrap import Hub, bootstrap
from flexhub.cli.tenants import CLI_ACTOR, tenant_option
from flexhub.db.jobs import queue
from flexhub.jobs import DeleteJob, RetryJob, queries
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer

app = typer.Typer(help="The job queue: list jobs, retry or delete dead ones.", no_args_is_help=True)


@app.command("list")
def list_jobs(
    state: str | None = typer.Option(None, help="pending, running or dead (dead letters)"),
    kind: str | None = typer.Option(None, help="e.g. webhook.deliver"),
    tenant: str | None = typer.Option(None, help="a tenant's code; every tenant's jobs without it"),
    limit: int = typer.Option(50, help="how many, most recently changed first"),
    offset: int = typer.Option(0, help="skip this many (paging)"),
) -> None:
    """List jobs: kind, state, attempts, when due and the last error."""
    hub = bootstrap(combine=False)
    try:
        with hub.uow(write=False) as uow:
            tenant_id = tenant_option(hub.uow, tenant).tenant_id if tenant else None
            found = queries.list_jobs(uow.connection, tenant_id, states=[state] if state else None, kind=kind,
                                      limit=limit, offset=offset)
    finally:
        hub.close()
    table = Table("id", "kind", "state", "attempts", "due", "last error")
    for job in found["jobs"]:
        table.add_row(job["id"], job["kind"], job["state"], str(job["attempts"]),
                      job["run_after"].strftime("%Y-%m-%d %H:%M:%S"), job["last_error"] or "")
    console = Console()
    console.print(table)
    console.print(f"{len(found['jobs'])} of {found['total']}")


@app.command()
def retry(job_id: str = typer.Argument(..., help="the dead job's id")) -> None:
    """Make a dead job due again now, with a fresh count of attempts."""
    _act(job_id, lambda actor: RetryJob(actor=actor, job_id=job_id))


@app.command()
def delete(job_id: str = typer.Argument(..., help="the dead job's id")) -> None:
    """Give a dead job up for good."""
    _act(job_id, lambda actor: DeleteJob(actor=actor, job_id=job_id))


def _act(job_id: str, command: Callable[[Actor], Any]) -> None:
    hub = bootstrap(combine=False)
    try:
        done = hub.handle(command(_actor_for(hub, job_id)))
    except Exception as error:
        typer.echo(f"{getattr(error, 'code', 'error')}: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        hub.close()
    typer.echo(" ".join(f"{k}={v}" for k, v in answer(done).items()))


def _actor_for(hub: Hub, job_id: str) -> Actor:
    """The CLI acts as an admin of the job's own tenant (it is run by whoever runs the hub)."""
    with hub.uow(write=False) as uow:
        row = queue.one(uow.connection, uuid.UUID(job_id), None)
    return Actor(tenant_id=row.tenant_id, role="admin", name=CLI_ACTOR)
