"""`flexhub serve`: the API and the workers in one process."""

import typer
import uvicorn

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
) -> None:
    """Serve the HTTP API with the outbox relay and jobs running beside it."""
    hub = bootstrap()
    hub.workers.start()
    try:
        uvicorn.run(create_app(hub), host=host, port=port, log_level="info")
    finally:
        hub.close()
