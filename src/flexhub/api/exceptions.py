"""`GET /api/v1/exceptions`: everything that needs a person, from every capability, in one queue."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection

from flexhub.api.auth import HubDep, Reader
from flexhub.api.exception_export import exception_columns, exception_items
from flexhub.api.listing import FILE
from flexhub.channels.queries import dead_pushes, open_exceptions
from flexhub.erp.queries import failures as erp_failures
from flexhub.fulfillment.queries import SILENT_HOURS, shipment_problems
from flexhub.identity import may, tenant_time_zone
from flexhub.identity.masking import order_as_seen_by
from flexhub.jobs import queries as job_queries
from flexhub.kernel.messages import Actor
from flexhub.kernel.zones import zone
from flexhub.lists import export_table
from flexhub.notifications import queries as webhook_queries
from flexhub.ordering.queries import list_orders
from flexhub.purchasing.queries import list_discrepancies

router = APIRouter(prefix="/api/v1/exceptions", tags=["exceptions"])
ORDER_STATUSES = ["awaiting_stock", "exception", "on_hold"]


@router.get("")
def list_exceptions(actor: Reader, hub: HubDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    silent_hours: Annotated[int, Query(ge=1, le=24 * 30)] = SILENT_HOURS) -> dict:
    """Orders kept awaiting stock, in exception or on hold; channel messages that could not be imported;
    shipment problems (carrier error, no tracking event for `silent_hours`, delivery failed, channel not told),
    receipts that differed from the notice, what failed with the ERP (a document refused or still failing, an ERP
    that could not be read), and dead letters (stock figures a platform kept refusing, jobs given up, webhook
    deliveries parked), each with the actions that fix it."""
    with hub.uow(write=False) as uow:
        return open_work(uow.connection, actor, limit, silent_hours)


@router.get("/export", response_class=StreamingResponse, responses=FILE)
def export_exceptions(actor: Reader, hub: HubDep, format: Annotated[str, Query(description="csv or xlsx")] = "csv",
                      limit: Annotated[int, Query(ge=1, le=500)] = 500) -> StreamingResponse:
    """The queue as one table (kind, reference, state, what happened, since), as CSV or an Excel workbook."""
    with hub.uow(write=False) as uow:
        found = open_work(uow.connection, actor, limit, SILENT_HOURS)
        where = zone(tenant_time_zone(uow.connection, actor.tenant_id) or "UTC")
    return export_table(format, "exceptions", exception_columns(where), exception_items(found))


def open_work(connection: Connection, actor: Actor, limit: int, silent_hours: int = SILENT_HOURS) -> dict[str, Any]:
    """Every kind of the queue, `limit` of each, as this actor may see them."""
    orders = list_orders(connection, actor.tenant_id, partner_id=actor.partner_id, statuses=ORDER_STATUSES,
                         limit=limit)
    messages = open_exceptions(connection, actor.tenant_id, limit, partner_id=actor.partner_id)
    shipments = [] if actor.partner_id else shipment_problems(connection, actor.tenant_id,
                                                              silent_hours=silent_hours, limit=limit)
    # Receipts that differed from the supplier's notice; a supplier's key sees its own, without actions.
    receipts = list_discrepancies(connection, actor.tenant_id, partner_id=actor.partner_id, limit=limit)
    erp = [] if actor.partner_id else erp_failures(connection, actor.tenant_id, limit=limit)
    return {"orders": [order_as_seen_by(actor.role, order) for order in orders], "channel_messages": messages,
            "shipments": shipments, "purchasing": receipts, "erp": erp,
            "dead_letters": dead_letters(connection, actor, limit)}


def dead_letters(connection: Connection, actor: Actor, limit: int) -> dict[str, list[dict[str, Any]]]:
    """What was given up after its tries, for this actor: its channels' stock figures, its webhook deliveries, and
    (staff who manage the queue) the tenant's dead jobs."""
    jobs = (job_queries.list_jobs(connection, actor.tenant_id, states=["dead"], limit=limit)["jobs"]
            if may(actor.role, "jobs.manage") else [])
    return {"stock_pushes": dead_pushes(connection, actor.tenant_id, limit, partner_id=actor.partner_id),
            "jobs": [{k: v for k, v in job.items() if k != "payload"} for job in jobs],  # payloads may hold anything
            "webhooks": webhook_queries.list_deliveries(connection, actor.tenant_id, partner_id=actor.partner_id,
                                                        states=["dead"], limit=limit)}
