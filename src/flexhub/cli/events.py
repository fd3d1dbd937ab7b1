"""`flexhub events dead-letters`: the events NATS consumers gave up on, with the consumer and the reason."""

import typer
from rich.console import Console
from rich.table import Table

from flexhub.settings import Settings

app = typer.Typer(help="The event transport: dead letters on NATS JetStream.", no_args_is_help=True)


@app.command("dead-letters")
def dead_letters(limit: int = typer.Option(50, help="how many, the newest")) -> None:
    """List events a consumer failed on past FLEXHUB_NATS_MAX_DELIVER tries (the NATS transport only)."""
    settings = Settings()
    if settings.event_transport != "nats":
        typer.echo("events go in-process (FLEXHUB_EVENT_TRANSPORT is not nats): a failing consumer fails its "
                   "relay's batch, which is published again; there are no dead letters to list", err=True)
        raise typer.Exit(1)
    from flexhub.bus.nats_transport import NatsTransport

    transport = NatsTransport.from_settings(settings)
    try:
        letters = transport.dead_letters(limit)
    finally:
        transport.close()
    table = Table("at", "consumer", "event type", "event id", "tries", "reason")
    for letter in letters:
        table.add_row(letter.at.strftime("%Y-%m-%d %H:%M:%S"), letter.consumer, letter.event_type,
                      str(letter.event_id), str(letter.deliveries), letter.reason)
    Console().print(table)
