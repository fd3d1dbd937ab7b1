"""`flexhub serve`: the API, with the outbox relay and jobs beside it unless `--no-jobs`."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
import typer
import uvicorn
from fastapi import FastAPI

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.cli.startup import checked_settings
from flexhub.ops import logs

log = structlog.get_logger("flexhub.serve")


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    jobs: bool = typer.Option(True, "--jobs/--no-jobs", help="run the relay and jobs here too (--no-jobs: API only, "
                              "with `flexhub worker` running them elsewhere)"),
    forwarded_allow_ips: str | None = typer.Option(
        None, help="addresses whose X-Forwarded-For/-Proto are believed (default: FLEXHUB_FORWARDED_ALLOW_IPS)"),
) -> None:
    """Serve the HTTP API with the outbox relay and jobs running beside it (one process, as the demo does).

    On SIGTERM it stops taking connections, lets requests in flight finish, then stops the jobs, the writer's
    batches and the event transport, all within FLEXHUB_SHUTDOWN_DRAIN_S."""
    hub = bootstrap(checked_settings())
    settings = hub.settings
    logs.configure(settings.log_level, settings.log_format)
    if jobs:
        hub.workers.start()
    app = create_app(hub)
    # After uvicorn has stopped taking connections and answered those it held, and before it re-raises the
    # signal (exiting 143, as an orchestrator expects): the jobs, the writer's batches, the transport.
    started_up = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[Any]:
        async with started_up(served) as state:
            yield state
        await asyncio.to_thread(_stop, hub)

    app.router.lifespan_context = lifespan
    try:
        uvicorn.run(app, host=host, port=port, log_config=None, log_level=settings.log_level.lower(),
                    access_log=False,  # the request-id middleware logs each request, with its id
                    proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips or settings.forwarded_allow_ips,
                    timeout_graceful_shutdown=int(settings.shutdown_drain_s) or None)
    finally:
        _stop(hub)


def _stop(hub: Hub) -> None:
    if not hub.closed:
        hub.close()
        log.info("stopped")
