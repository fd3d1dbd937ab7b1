"""`flexhub`: the entry point that gathers each command group."""

import typer

from flexhub.cli import (
    analytics,
    bench,
    channels,
    db,
    demo,
    events,
    inventory,
    jobs,
    keys,
    sandbox,
    serve,
    users,
    worker,
)
from flexhub.cli import cleaning as cleaning_cli
from flexhub.cli import erp as erp_cli
from flexhub.cli import finance as finance_cli
from flexhub.cli import planning as planning_cli
from flexhub.cli import purchasing as purchasing_cli

app = typer.Typer(name="flexhub", help="One pool of goods behind every place a brand sells.", no_args_is_help=True)
app.add_typer(db.app, name="db")
app.add_typer(keys.app, name="keys")
app.add_typer(users.app, name="users")
app.add_typer(inventory.app, name="inventory")
app.add_typer(bench.app, name="bench")
app.add_typer(channels.app, name="channels")
app.add_typer(analytics.app, name="analytics")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(purchasing_cli.app, name="purchasing")
app.add_typer(jobs.app, name="jobs")
app.add_typer(finance_cli.app, name="finance")
app.add_typer(erp_cli.app, name="erp")
app.add_typer(cleaning_cli.app, name="cleaning")
app.add_typer(events.app, name="events")
app.add_typer(planning_cli.app, name="planning")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("worker")(worker.worker)

if __name__ == "__main__":
    app()
