"""Dashboard pages of purchasing: the orders (drafted by hand on the new-order form, or from replenishment's
suggestions), one order with its notices and discrepancies and the actions the signed-in role may take (closing
and cancelling asked again on a page of their own first), the supplier's own view when signed in with a
supplier's key, and the stock alerts. Every write is a command sent to the bus. A refused or failed post is shown
on the page with its error's status; nothing was written."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub import replenishment
from flexhub.alerts import list_alerts
from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError, Forbidden, NotFound
from flexhub.kernel.messages import Actor
from flexhub.purchasing import dropship, queries, rules
from flexhub.purchasing.commands import (
    ActOnOrder,
    AnnounceShipment,
    OrderFromSuggestions,
    OrdersFromSuggestions,
    ReceiveAsn,
    ResolveDiscrepancy,
)
from flexhub.purchasing.handlers import supplier_scope
from flexhub.purchasing.order_form import OrderForm
from flexhub.purchasing.portal import node_rows, supplier_view
from flexhub.purchasing.rules import STATES
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
BRAND_STEPS = ("send", "cancel", "close", "accept_change", "reject_change")
ASKED_AGAIN = ("close", "cancel")  # steps that cannot be undone: a page of their own asks before they are taken
FORM_LINES = 5  # empty line rows the new-order form offers (two more beside what was typed, after a refusal)
SHOWN_UNSOURCED = 30  # SKUs without a supplier named after drafting from suggestions (the rest counted)
Texts = Annotated[list[str], Form()]


@router.get("/purchasing", response_class=HTMLResponse)
def orders(request: Request, actor: WebActor, hub: HubDep, state: str | None = None, drafted: str | None = None,
           unsourced: str = "", transfers: int = 0) -> HTMLResponse:
    """The orders, newest first; after drafting from suggestions (`drafted`: the ids made) what was made and what
    no supplier could be found for."""
    with hub.uow(write=False) as uow:
        found = queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                    states=[state] if state else None, limit=200)
    made = None if drafted is None else {order_id for order_id in drafted.split(",") if order_id}
    result = None if made is None else {
        "orders": [o for o in found if o["id"] in made], "transfers": transfers,
        "unsourced": [code for code in unsourced.split(",") if code][:SHOWN_UNSOURCED]}
    return page(request, "purchase_orders.html", actor, orders=found, state=state, states=STATES, result=result)


@router.get("/purchasing/new", response_class=HTMLResponse)
def new_order(request: Request, actor: WebActor, hub: HubDep, supplier: str = "") -> HTMLResponse:
    require_brand_buyer(actor)
    return _form_page(request, actor, hub, OrderForm(supplier=supplier[:120]))


@router.post("/purchasing")
async def create_order(request: Request, actor: WebActor, hub: HubDep) -> Any:
    """The new-order form: the order is placed as a draft (the brand sends it from its page); a refusal is shown on
    the form, pointing at the field, with everything typed kept."""
    require_brand_buyer(actor)
    fields = await request.form()
    form = OrderForm.typed(fields, _texts(fields, "sku"), _texts(fields, "quantity"), _texts(fields, "unit_cost"))
    with hub.uow(write=False) as uow:
        choices = queries.order_form_choices(uow.connection, actor.tenant_id)
    terms_currency = next((s["currency"] for s in choices["suppliers"] if s["code"] == form.supplier), None)
    try:
        placed = hub.handle(form.command(actor, terms_currency))
    except FlexhubError as error:
        return _form_page(request, actor, hub, form, error=error, choices=choices)
    return RedirectResponse(f"/purchasing/{placed.id}", status_code=303)


@router.post("/purchasing/from-suggestions")
def from_suggestions(actor: WebActor, hub: HubDep) -> RedirectResponse:
    """Replenishment's purchase and production suggestions as draft orders, one per supplier, node and kind."""
    require_brand_buyer(actor)
    made: OrdersFromSuggestions = hub.handle(OrderFromSuggestions(actor=actor))
    unsourced = sorted({s["sku"] for s in made.unsourced})
    return RedirectResponse(f"/purchasing?drafted={','.join(o.id for o in made.orders)}"
                            f"&unsourced={','.join(unsourced[:SHOWN_UNSOURCED])}&transfers={len(made.transfers)}",
                            status_code=303)


@router.get("/purchasing/{order_id}", response_class=HTMLResponse)
def order_page(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    return _order_page(request, actor, hub, order_id)


@router.get("/purchasing/{order_id}/steps/{step}", response_class=HTMLResponse)
def ask_again(order_id: uuid.UUID, step: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    """Close or Cancel asked again, saying what it does to this order; a step the order cannot take is refused
    here already (nothing is written either way). Only those two are asked: any other step has no such page."""
    require(actor, "purchasing.write")
    with hub.uow(write=False) as uow:
        order = queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
    if step not in ASKED_AGAIN:
        raise NotFound(f"no page asks before {step}: only close and cancel are asked again")
    try:
        rules.after(order["state"], step)
    except FlexhubError as error:
        return _order_page(request, actor, hub, order_id, error=error, status_code=error.status)
    units = sum(max(0, line["quantity"] - line["received"]) for line in order["lines"])
    return page(request, "purchase_order_step.html", actor, order=order, step=step, units=units)


@router.post("/purchasing/{order_id}/step")
def brand_step(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep,
               step: Annotated[str, Form()], confirmed: Annotated[str, Form()] = "") -> Any:
    """A brand's step; Close and Cancel only once asked again (`confirmed=yes`), else to the page that asks."""
    require(actor, "purchasing.write")
    action = step if step in BRAND_STEPS else "unknown"
    if action in ASKED_AGAIN and confirmed != "yes":
        return RedirectResponse(f"/purchasing/{order_id}/steps/{action}", status_code=303)
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
    for sku in view["skus"]:
        sku["nodes"] = node_rows(sku)
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


def require_brand_buyer(actor: Actor) -> None:
    """Orders to suppliers are the brand's: its staff who may buy, never a partner's key."""
    require(actor, "purchasing.write")
    if actor.partner_id is not None:
        raise Forbidden("a partner does not order from the brand's suppliers")


def _form_page(request: Request, actor: Actor, hub: HubDep, form: OrderForm, *, error: FlexhubError | None = None,
               choices: dict[str, Any] | None = None) -> HTMLResponse:
    if choices is None:
        with hub.uow(write=False) as uow:
            choices = queries.order_form_choices(uow.connection, actor.tenant_id)
    rows = form.lines + [{"sku": "", "quantity": "", "unit_cost": ""}] * (2 if form.lines else FORM_LINES)
    return page(request, "purchase_order_new.html", actor, form=form, rows=rows, error=error,
                invalid=form.field_of(error) if error else None, kinds=rules.KINDS, **choices,
                status_code=error.status if error else 200)


def _texts(fields: Any, name: str) -> list[str]:
    return [str(value) for value in fields.getlist(name)][:500]


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
