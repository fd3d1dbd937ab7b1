"""`flexhub serve`: the API, with the outbox relay and jobs beside it unless `--no-jobs`. `--workers N` runs N API
processes on one port, each with a hub of its own (uvicorn's supervisor starts them, restarts one that dies and
passes SIGTERM on); the jobs then run once, in the supervising process, not in each API process."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
import typer
import uvicorn
from fastapi import FastAPI

from flexhub.api.app import create_app, prepare
from flexhub.api.one_write import OneWriteProtocol
from flexhub.bootstrap import Hub, bootstrap
from flexhub.cli.connections import check_connections
from flexhub.cli.startup import checked_settings
from flexhub.ops import logs
from flexhub.settings import Settings

log = structlog.get_logger("flexhub.serve")
# A request makes a few thousand short-lived objects; collecting the young generation every 700 allocations (the
# default) ran several times per request.
YOUNG_GC_THRESHOLDS = (20_000, 20, 20)
# How long uvicorn's supervisor waits for a `--workers` process to answer its ping before killing it. A process
# answers only once it has imported flexhub (3 s of CPU): on a busy machine that took 13 s, and uvicorn's 5 s
# default killed every worker as it started, again and again; at load 11-13 it took 48 s.
WORKER_HEALTHCHECK_S = 120


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    jobs: bool = typer.Option(True, "--jobs/--no-jobs", help="run the relay and jobs here too, once however many "
                              "--workers (--no-jobs: API only, with `flexhub worker` running them elsewhere)"),
    workers: int = typer.Option(1, min=1, help="API processes on this port, each with its own hub and pool "
                                "(FLEXHUB_DB_POOL_SIZE connections each); the jobs run in the process supervising "
                                "them"),
    forwarded_allow_ips: str | None = typer.Option(
        None, help="addresses whose X-Forwarded-For/-Proto are believed (default: FLEXHUB_FORWARDED_ALLOW_IPS)"),
) -> None:
    """Serve the HTTP API with the outbox relay and jobs running beside it (one process, as the demo does).

    On SIGTERM it stops taking connections, lets requests in flight finish, then stops the jobs, the writer's
    batches and the event transport, all within FLEXHUB_SHUTDOWN_DRAIN_S."""
    settings = checked_settings()
    logs.configure(settings.log_level, settings.log_format, access_log=False)
    # each API process has a pool of its own; with several, the jobs run in one more, the supervisor's
    check_connections(settings, hubs=workers + int(jobs and workers > 1), listens=jobs)
    options: dict[str, Any] = {
        "host": host, "port": port, "log_config": None, "log_level": settings.log_level.lower(),
        "access_log": False,  # the request-id middleware logs each request, with its id
        "http": OneWriteProtocol,  # httptools, each answer's head and body in one write
        "proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips or settings.forwarded_allow_ips,
        "timeout_graceful_shutdown": int(settings.shutdown_drain_s) or None,
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_S}
    if workers > 1:
        # The supervisor runs the jobs (a hub of its own, no API); it stops them once every API process has exited.
        hub = _with_jobs(bootstrap(settings)) if jobs else None
        try:
            uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **options)
        finally:
            if hub is not None:
                _stop(hub)
        return
    hub = bootstrap(settings)
    try:
        uvicorn.run(served_app(_with_jobs(hub) if jobs else hub), **options)
    finally:
        _stop(hub)


def worker_app() -> FastAPI:
    """The app of one of `--workers` processes: its own hub and logging, as `serve` would set them up; no jobs."""
    settings = Settings()
    # Without access_log=False here each process wrote uvicorn's access line beside the request-id middleware's:
    # uvicorn turns its access log off before it loads this app, and configuring logging after turned it on again
    # (13 % of each process's samples with two workers, py-spy, POST /api/v1/orders).
    logs.configure(settings.log_level, settings.log_format, access_log=False)
    return served_app(bootstrap(settings))


def _with_jobs(hub: Hub) -> Hub:
    hub.workers.start()
    log.info("jobs running", owner=hub.workers.keeper.owner if hub.workers.keeper else None)
    return hub


def served_app(hub: Hub) -> FastAPI:
    """The API over `hub`; the hub stops after uvicorn has stopped taking connections and answered those it held,
    and before it re-raises the signal (exiting 143, as an orchestrator expects)."""
    app = create_app(hub)
    started_up = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[Any]:
        async with started_up(served) as state:
            await prepare(served)  # ready means answering at once, the first request too
            _freeze_heap()
            yield state
        await asyncio.to_thread(_stop, hub)

    app.router.lifespan_context = lifespan
    return app


def _freeze_heap() -> None:
    """Keep what start-up built (routes, models, tables: most of the heap) out of every later garbage collection:
    a full collection over it cost ~17 % of an API process's CPU under load (py-spy, POST /api/v1/orders)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*YOUNG_GC_THRESHOLDS)


def _stop(hub: Hub) -> None:
    if not hub.closed:
        hub.close()
        log.info("stopped")
