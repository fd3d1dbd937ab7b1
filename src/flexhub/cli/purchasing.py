"""`flexhub purchasing`: the brand's purchase and production orders from the terminal — list them, and draft
(or send) orders from replenishment's suggestions, as the API's `orders/from-suggestions` does."""

import json
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from flexhub.cli.tenants import as_tenant
from flexhub.kernel.money import minor_digits
from flexhub.kernel.results import answer
from flexhub.purchasing import queries
from flexhub.purchasing.commands import OrderFromSuggestions
from flexhub.purchasing.rules import STATES

app = typer.Typer(help="Purchasing: purchase and production orders.", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")
JsonOption = typer.Option(False, "--json", help="print JSON instead of a table")


@app.command()
def orders(tenant: str = TenantOption, state: list[str] = typer.Option(None, help=f"one of {', '.join(STATES)}"),
           supplier: str = typer.Option(None, help="the supplier's partner code"),
           limit: int = typer.Option(100, min=1, max=1000), as_json: bool = JsonOption) -> None:
    """The tenant's orders, newest first."""
    unknown = sorted(set(state or ()) - set(STATES))
    if unknown:
        raise typer.BadParameter(f"unknown state {', '.join(unknown)}; one of {', '.join(STATES)}",
                                 param_hint="--state")
    with as_tenant(tenant) as (hub, actor), hub.uow(write=False) as uow:
        found = queries.list_orders(uow.connection, actor.tenant_id, supplier=supplier, states=state or None,
                                    limit=limit)
    if as_json:
        print(json.dumps({"orders": found}, default=str))
        return
    _print_orders("purchase orders", found)


@app.command()
def suggest(tenant: str = TenantOption, service: float = typer.Option(0.95, min=0.5, max=0.999),
            review_days: int = typer.Option(7, min=1, max=90), budget: int = typer.Option(
                None, min=0, help="in minor units (fen, cents) across all orders"),
            send: bool = typer.Option(False, "--send", help="send the drafts to their suppliers at once"),
            as_json: bool = JsonOption) -> None:
    """Draft one order per supplier, node and kind from replenishment's suggestions (all or none)."""
    with as_tenant(tenant) as (hub, actor):
        command = OrderFromSuggestions(actor=actor, service=service, review_days=review_days, budget=budget,
                                       send=send)
        made = _with_progress(lambda: hub.handle(command), quiet=as_json)
    if as_json:
        print(json.dumps({**answer(made), "orders": [order.model_dump() for order in made.orders]}, default=str))
        return
    _print_orders("orders drafted" + (" and sent" if send else ""), [order.model_dump() for order in made.orders])
    if made.unsourced:
        Console().print(f"no supplier terms for {', '.join(sorted({s['sku'] for s in made.unsourced}))}")


def _with_progress(work: Any, *, quiet: bool) -> Any:
    """Forecasting every SKU × node and placing the drafts is one transaction: a spinner with the time taken."""
    if quiet:
        return work()
    columns = (SpinnerColumn(), TextColumn("forecasting and drafting orders"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("suggest", total=None)
        done = work()
        progress.update(task, total=1, completed=1)
    return done


def _print_orders(title: str, found: list[dict]) -> None:
    table = Table("id", "supplier", "kind", "node", "state", "expected", "total", "reference", title=title)
    for o in found:
        table.add_row(o["id"], o["supplier"], o["kind"], o["location"], o["state"], str(o["expected_on"]),
                      f"{_amount(o['total'], o['currency'])} {o['currency']}", o["reference"] or "")
    Console().print(table if found else f"{title}: none")


def _amount(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"
