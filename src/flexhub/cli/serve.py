"""`flexhub serve`: the API, with the outbox relay and jobs beside it unless `--no-jobs`."""

import typer
import uvicorn

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    jobs: bool = typer.Option(True, "--jobs/--no-jobs", help="run the relay and jobs here too (--no-jobs: API only, "
                              "with `flexhub worker` running them elsewhere)"),
) -> None:
    """Serve the HTTP API with the outbox relay and jobs running beside it (one process, as the demo does)."""
    hub = bootstrap()
    if jobs:
        hub.workers.start()
    try:
        uvicorn.run(create_app(hub), host=host, port=port, log_level="info")
    finally:
        hub.close()
