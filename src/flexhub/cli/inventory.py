"""`flexhub inventory`: checks of the stock ledger."""

import json

import typer
from rich.console import Console
from rich.table import Table

from flexhub.bootstrap import bootstrap
from flexhub.inventory.queries import verify_ledger

app = typer.Typer(help="Inventory.", no_args_is_help=True)


@app.command()
def verify(as_json: bool = typer.Option(False, "--json", help="print the differences as JSON")) -> None:
    """Rebuild every stock level from the ledger and report each difference; exit 1 if any."""
    hub = bootstrap(combine=False)
    try:
        with hub.uow(write=False) as uow:
            differences = verify_ledger(uow.connection)
    finally:
        hub.close()
    if as_json:
        print(json.dumps({"differences": differences, "ok": not differences}))
    else:
        _print(differences)
    raise typer.Exit(1 if differences else 0)


def _print(differences: list[dict]) -> None:
    console = Console()
    if not differences:
        console.print("[green]ledger and stock levels agree[/green]")
        return
    table = Table("tenant", "sku", "location", "pool", "ledger", "levels", title="differences")
    for d in differences:
        table.add_row(d["tenant_id"], d["sku_id"], d["location_id"], d["pool"], str(d["ledger"]), str(d["levels"]))
    console.print(table)
