"""`flexhub serve`: the API, with the outbox relay and jobs beside it unless `--no-jobs`."""

import typer
import uvicorn

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap
from flexhub.ops import logs


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
    hub = bootstrap()
    settings = hub.settings
    logs.configure(settings.log_level, settings.log_format)
    if jobs:
        hub.workers.start()
    try:
        uvicorn.run(create_app(hub), host=host, port=port, log_config=None, log_level=settings.log_level.lower(),
                    access_log=False,  # the request-id middleware logs each request, with its id
                    proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips or settings.forwarded_allow_ips,
                    timeout_graceful_shutdown=int(settings.shutdown_drain_s) or None)
    finally:
        hub.close()
