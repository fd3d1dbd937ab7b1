"""Bulk work from the orders page: the chosen orders held, released, cancelled, routed or shipped as a batch (through
the batch's commands on the bus, worked in the background; its page shows how far it is and each order's outcome),
and their picking list and labels printed, each as one PDF."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flexhub import batches
from flexhub.api.auth import HubDep
from flexhub.fulfillment import queries as shipment_queries
from flexhub.fulfillment.picking import labels_together, picking_list, picks_by_node
from flexhub.kernel import clock
from flexhub.kernel.errors import ValidationFailed
from flexhub.web import i18n
from flexhub.web.labels import local_time, zone_of
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
Chosen = Annotated[list[str], Query(alias="order", max_length=batches.MAX_ORDERS)]
PDF = "application/pdf"


@router.post("/orders/batches")
def start_batch(actor: WebActor, hub: HubDep, action: Annotated[str, Form(max_length=16)],
                order: Annotated[list[str], Form()] = [],  # noqa: B006 — FastAPI copies a form default
                reason: Annotated[str, Form(max_length=500)] = "",
                carrier: Annotated[str, Form(max_length=32)] = "") -> RedirectResponse:
    started = hub.handle(batches.StartOrderBatch(actor=actor, action=action, order_ids=tuple(order),
                                                 reason=reason.strip(), carrier=carrier.strip() or None))
    return RedirectResponse(f"/orders/batches/{started.id}", status_code=303)


@router.get("/orders/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        batch = batches.batch_view(uow.connection, actor.tenant_id, batch_id, partner_id=actor.partner_id)
    return page(request, "batch.html", actor, batch=batch)


@router.get("/orders/picking-list.pdf")
def picking_list_pdf(request: Request, actor: WebActor, hub: HubDep, order: Chosen = []) -> Response:  # noqa: B006
    """What the chosen orders hold at each node, a page or more per node in bin order."""
    require(actor, "inventory.write")
    order_ids = _chosen(order)
    with hub.uow(write=False) as uow:
        rows = shipment_queries.picking_lines(uow.connection, actor.tenant_id, order_ids,
                                              partner_id=actor.partner_id)
    printed = local_time(clock.now(), where=zone_of(request))
    content = picking_list(picks_by_node(rows), printed=printed, orders=len(order_ids))
    return Response(content, media_type=PDF, headers=_attachment("picking-list.pdf"))


@router.get("/orders/labels.pdf")
def labels_pdf(actor: WebActor, hub: HubDep, order: Chosen = []) -> Response:  # noqa: B006
    """Every label of the chosen orders' parcels in one PDF; parcels whose label is not a PDF we hold (the carrier
    keeps it at its address, or none came yet) are counted in the X-Labels-Missing header."""
    require(actor, "inventory.write")
    order_ids = _chosen(order)
    with hub.uow(write=False) as uow:
        parcels = shipment_queries.labels_of_orders(uow.connection, actor.tenant_id, order_ids,
                                                    partner_id=actor.partner_id)
    held = [p.label for p in parcels if p.label and p.label.startswith(b"%PDF")]
    if not held:
        raise ValidationFailed(i18n.gettext_("None of the chosen orders has a label to print yet."))
    return Response(labels_together(held), media_type=PDF,
                    headers={**_attachment("labels.pdf"), "x-labels-missing": str(len(parcels) - len(held))})


def _chosen(texts: list[str]) -> list[uuid.UUID]:
    try:
        ids = list(dict.fromkeys(uuid.UUID(text) for text in texts))
    except ValueError:
        raise batches.BadSelection(i18n.gettext_("That is not an order of this list.")) from None
    if not ids:
        raise batches.BadSelection(i18n.gettext_("Choose at least one order."))
    return ids


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'inline; filename="{name}"', "cache-control": "no-store"}
