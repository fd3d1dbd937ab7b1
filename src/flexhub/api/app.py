"""The FastAPI application: routers of each capability, error mapping, body limit, OpenAPI."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.types import Message, Scope

from flexhub.alerts.api import router as alerts
from flexhub.analytics.api import router as analytics
from flexhub.api import errors
from flexhub.api.exceptions import router as exceptions
from flexhub.api.limits import RequestLimits
from flexhub.api.order_lane import OrderLane
from flexhub.api.reseller_stores import router as reseller_stores
from flexhub.api.webhook_lane import WebhookLane
from flexhub.batches.api import router as order_batches
from flexhub.bootstrap import Hub
from flexhub.catalog.api import router as catalog
from flexhub.channels.api import router as channels
from flexhub.channels.webhooks import router as webhooks
from flexhub.cleaning.api import router as cleaning
from flexhub.erp.api import router as erp
from flexhub.filters.api import router as saved_filters
from flexhub.finance.api import fees_router as channel_fees
from flexhub.finance.api import router as finance
from flexhub.fulfillment.api import router as fulfillment
from flexhub.fulfillment.webhooks import router as carrier_webhooks
from flexhub.identity.api import router as identity
from flexhub.inventory.api import router as inventory
from flexhub.jobs.api import router as jobs
from flexhub.members.api import router as members
from flexhub.notifications.api import router as notifications
from flexhub.ops.api import router as ops
from flexhub.ops.requests import RequestIds
from flexhub.ordering.api import router as orders
from flexhub.planning.api import router as planning
from flexhub.purchasing.api import router as purchasing
from flexhub.replenishment.api import router as replenishment
from flexhub.resellers.api import router as resellers
from flexhub.returns.api import router as returns
from flexhub.routing.api import router as routing
from flexhub.stores.api import router as stores
from flexhub.stores.webhooks import router as payment_webhooks
from flexhub.sync.api import router as stock_sync
from flexhub.web import app as web

NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(
        title="flexhub",
        version="0.1.0",
        description="One pool of goods behind every place a brand sells.",
        docs_url=None, redoc_url=None,  # served by the dashboard from the npm copies, not a CDN (web/api_docs.py)
        # flexhub's metrics are Prometheus' (/metrics) and its logs structlog's; FastAPI's native OpenTelemetry,
        # on by default, asked the global providers on every request whether any was set up (11 us a request).
        telemetry=NO_TELEMETRY,
    )
    bind(app, hub)
    for router in (identity, catalog, inventory, channels, stock_sync, orders, exceptions, webhooks, analytics, routing,
                   replenishment, fulfillment, returns, carrier_webhooks):
        app.include_router(router, responses=errors.RESPONSES)
    for router in (purchasing, notifications, alerts, jobs, finance, channel_fees, erp, planning, members, stores,
                   cleaning, resellers, reseller_stores, payment_webhooks, order_batches, saved_filters):
        app.include_router(router, responses=errors.RESPONSES)
    errors.install(app)
    app.add_middleware(OrderLane)  # inside RequestLimits: it sees only a body within the limits
    app.add_middleware(WebhookLane)  # likewise
    app.add_middleware(RequestLimits, max_bytes=hub.settings.max_body_bytes)

    web.mount(app, assets_dir=Path(hub.settings.assets_dir))

    app.include_router(ops)
    app.add_middleware(RequestIds)  # added last, so outermost: every answer carries its request id
    return app


def bind(app: FastAPI, hub: Hub) -> None:
    """Serve `hub` from `app`: its routes and middleware read the hub, and what counts in its database, from the app's
    state. The tests bind one app to each test's hub (testing.api_client): FastAPI builds every route's models on an
    app's first request, about a second of CPU that a test need not pay again."""
    app.state.hub = hub
    web.bind(app, hub)


async def prepare(app: FastAPI) -> None:
    """Build every route's models now: FastAPI builds them on an app's first request, about a second of CPU (8 s of
    wall at load 13), which a readiness probe's first call would wait out. A path no route matches walks them all."""
    scope: Scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                    "scheme": "http", "path": "/.prepare", "raw_path": b"/.prepare", "root_path": "",
                    "query_string": b"", "headers": [], "client": None, "server": None}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: Message) -> None:
        return None

    await app.router(scope, receive, send)
