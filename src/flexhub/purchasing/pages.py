"""Dashboard pages of purchasing: the orders, one order with its notices and discrepancies and the actions the
signed-in role may take, the supplier's own view when signed in with a supplier's key, and the stock alerts.
A refused or failed post is shown on the page with its error's status; nothing was written."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub import replenishment
from flexhub.alerts import list_alerts
from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.purchasing import dropship, queries
from flexhub.purchasing.commands import ActOnOrder, AnnounceShipment, ReceiveAsn, ResolveDiscrepancy
from flexhub.purchasing.handlers import supplier_scope
from flexhub.purchasing.portal import supplier_view
from flexhub.purchasing.rules import STATES
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
BRAND_STEPS = ("send", "cancel", "close", "accept_change", "reject_change")


@router.get("/purchasing", response_class=HTMLResponse)
def orders(request: Request, actor: WebActor, hub: HubDep, state: str | None = None) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        found = queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                    states=[state] if state else None, limit=200)
    return page(request, "purchase_orders.html", actor, orders=found, state=state, states=STATES)


@router.get("/purchasing/{order_id}", response_class=HTMLResponse)
def order_page(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    return _order_page(request, actor, hub, order_id)


@router.post("/purchasing/{order_id}/step")
def brand_step(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep,
               step: Annotated[str, Form()]) -> Any:
    require(actor, "purchasing.write")
    action = step if step in BRAND_STEPS else "unknown"
    return _run(request, actor, hub, order_id, ActOnOrder(actor=actor, order_id=str(order_id), action=action))


@router.post("/purchasing/{order_id}/confirm")
def confirm(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> Any:
    require(actor, "purchasing.respond")
    return _run(request, actor, hub, order_id, ActOnOrder(actor=actor, order_id=str(order_id), action="confirm"))


@router.post("/purchasing/{order_id}/asns")
async def announce(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> Any:
    """The supplier's shipment form: one quantity field per SKU (`qty:<sku>`), arrival, carrier, tracking."""
    require(actor, "purchasing.respond")
    form = await request.form()
    try:
        lines = {str(k)[4:]: int(str(v)) for k, v in form.items() if str(k).startswith("qty:") and str(v).strip()}
        expected_on = date.fromisoformat(str(form.get("expected_on", "")))
    except ValueError:
        lines, expected_on = {}, date.min  # refused below as invalid lines
    command = AnnounceShipment(actor=actor, order_id=str(order_id), expected_on=expected_on,
                               lines={sku: q for sku, q in lines.items() if q}, carrier=_text(form, "carrier"),
                               tracking_number=_text(form, "tracking_number"))
    return _run(request, actor, hub, order_id, command)


@router.post("/purchasing/{order_id}/asns/{asn_id}/receive")
def receive(order_id: uuid.UUID, asn_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> Any:
    require(actor, "purchasing.write")
    return _run(request, actor, hub, order_id, ReceiveAsn(actor=actor, asn_id=str(asn_id)))


@router.post("/purchasing/{order_id}/discrepancies/{discrepancy_id}/resolve")
def resolve(order_id: uuid.UUID, discrepancy_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep,
            resolution: Annotated[str, Form()]) -> Any:
    require(actor, "purchasing.write")
    command = ResolveDiscrepancy(actor=actor, discrepancy_id=str(discrepancy_id), resolution=resolution)
    return _run(request, actor, hub, order_id, command)


@router.get("/supplier", response_class=HTMLResponse)
def supplier(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    """What a supplier's key sees of the brand: its SKUs' forecast, stock per node and what is coming."""
    require(actor, "purchasing.respond")
    with hub.uow(write=False) as uow:
        view = supplier_view(uow.connection, actor.tenant_id, supplier_scope(uow.connection, actor),
                             replenishment.forecast_by_node)
    return page(request, "supplier.html", actor, view=view)


@router.post("/supplier/dropship/{shipment_id}/acknowledge")
def acknowledge_dropship(shipment_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    require(actor, "purchasing.respond")
    dropship.acknowledge(hub, actor, shipment_id)
    return RedirectResponse("/supplier", status_code=303)


@router.post("/supplier/dropship/{shipment_id}/ship")
def ship_dropship(shipment_id: uuid.UUID, actor: WebActor, hub: HubDep,
                  waybill_number: Annotated[str, Form(min_length=1, max_length=64)]) -> RedirectResponse:
    require(actor, "purchasing.respond")
    dropship.ship(hub, actor, shipment_id, waybill_number.strip())
    return RedirectResponse("/supplier", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, actor: WebActor, hub: HubDep, kind: str | None = None) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        found = [] if actor.partner_id else list_alerts(uow.connection, actor.tenant_id, kind=kind or None)
    return page(request, "alerts.html", actor, alerts=found, kind=kind)


def _run(request: Request, actor: Actor, hub: HubDep, order_id: uuid.UUID, command: Any) -> Any:
    try:
        hub.handle(command)
    except FlexhubError as error:
        return _order_page(request, actor, hub, order_id, error=error, status_code=error.status)
    return RedirectResponse(f"/purchasing/{order_id}", status_code=303)


def _order_page(request: Request, actor: Actor, hub: HubDep, order_id: uuid.UUID,
                error: FlexhubError | None = None, status_code: int = 200) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        order = queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
    return page(request, "purchase_order.html", actor, order=order, error=error, status_code=status_code,
                supplier=actor.partner_id is not None, today=date.today().isoformat())


def _text(form: Any, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value[:64] or None
