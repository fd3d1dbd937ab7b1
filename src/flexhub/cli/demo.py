"""`flexhub demo`: a small brand, a flash sale on a hot SKU, then the API serving it until Ctrl-C."""

import threading

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap
from flexhub.demo import brand, flash_sale, summary


def demo(
    orders: int = typer.Option(3000, help="orders in the flash sale"),
    restock: int = typer.Option(1000, help="units of the hot SKU allocated to the sale"),
    concurrency: int = typer.Option(64, help="buyers placing orders at once"),
    host: str = typer.Option("127.0.0.1", help="address the API listens on"),
    port: int = typer.Option(8000, help="port the API listens on"),
    serve: bool = typer.Option(True, help="keep serving the API after the sale (--no-serve to exit)"),
) -> None:
    """Seed a demo brand, run a flash sale with a progress bar, print a summary and serve the API."""
    console = Console()
    hub = bootstrap()
    try:
        with console.status("seeding the demo brand…"):
            seeded = brand.seed(hub)
        console.print(("created" if seeded.created else "reusing") + f" brand [bold]{brand.TENANT}[/bold]: "
                      f"{len(brand.sku_codes()) + 1} SKUs, {len(brand.NODES)} nodes, {len(brand.CHANNELS)} channels")
        hub.workers.start()
        columns = (TextColumn("flash sale on " + brand.HOT_SKU), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("orders", total=orders)
            sale = flash_sale.run(hub, seeded.admin, orders=orders, restock=restock, concurrency=concurrency,
                                  advance=lambda n: progress.advance(task, n))
        console.print(summary.table(hub, seeded.admin, sale))
        console.print(f"Dashboard: http://{host}:{port}/")
        console.print(f"Admin key: {seeded.admin_key}", soft_wrap=True)
        if serve:
            _serve(hub, host, port, console)
    finally:
        hub.close()


def _serve(hub, host: str, port: int, console: Console) -> None:  # type: ignore[no-untyped-def]
    server = uvicorn.Server(uvicorn.Config(create_app(hub), host=host, port=port, log_level="warning"))
    console.print("serving the API; Ctrl-C stops")
    thread = threading.Thread(target=server.run, name="api", daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        server.should_exit = True
        thread.join(timeout=10)
