"""Liveness (`/healthz`: the process answers), readiness (`/readyz`: it can do its work) and `/metrics`.

Readiness asks the database for its schema revision, so a file that is not a database, a server that is down
or a schema not migrated to head answers 503 with the reasons; a load balancer sends traffic elsewhere while
the process stays alive. When events go through NATS, a lost connection makes the process not ready too.
"""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from flexhub.kernel import metrics
from flexhub.ops import queries

router = APIRouter(tags=["health"])


@router.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready, with the reasons"}})
def ready(request: Request) -> JSONResponse:
    hub = request.app.state.hub
    reasons: list[dict[str, str]] = []
    try:
        with hub.uow(write=False) as uow:
            behind = queries.schema_behind(uow.connection)
        if behind:
            reasons.append({"check": "database", "code": "schema_not_migrated", "detail": behind})
    except Exception as error:  # any failure to read the revision is a database not usable
        reasons.append({"check": "database", "code": "database_unreachable",
                        "detail": f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"})
    if hub.settings.event_transport == "nats" and not hub.transport.connected:
        reasons.append({"check": "nats", "code": "nats_disconnected", "detail": hub.settings.nats_url})
    if reasons:
        return JSONResponse({"status": "not ready", "reasons": reasons}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/metrics", response_class=Response)
def metrics_text(request: Request) -> Response:
    body, content_type = metrics.render(_database_figures(request.app.state.hub))
    return Response(body, media_type=content_type)


def _database_figures(hub: Any) -> list[Any]:
    try:
        with hub.uow(write=False) as uow:
            return [
                metrics.gauge("flexhub_outbox_lag_seconds", "Age of the oldest event not yet published",
                              queries.outbox_lag_s(uow.connection)),
                metrics.gauge("flexhub_job_lag_seconds", "How long the most overdue pending job has waited",
                              queries.job_lag_s(uow.connection)),
                metrics.gauge("flexhub_jobs_dead", "Jobs parked after their last attempt",
                              queries.dead_jobs(uow.connection)),
            ]
    except Exception:  # the database is down: /readyz says so; the process's own figures still go out
        return []
