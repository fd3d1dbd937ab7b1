"""A reseller's own dashboard pages (its sign-in, or the brand's staff looking at it): its stores with each
listing's allotted available-to-sell, a store connected and a listing mapped by form; its parcels (tracking, the
blind packing slip) and returns, a return opened by form. Another reseller's is 404, as one that does not exist.

Here in web/ because they join resellers, channels, fulfillment and returns (channels depends on ordering, which
depends on resellers)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flexhub import channels, resellers
from flexhub.api.auth import HubDep
from flexhub.api.reseller_stores import ListingIn, StoreIn, connect, map_to_sku
from flexhub.fulfillment import queries as fulfillment_queries
from flexhub.fulfillment.queries import shipment_list
from flexhub.lists import page_of
from flexhub.ordering.queries import list_orders
from flexhub.returns.commands import CreateReturn
from flexhub.returns.queries import return_list
from flexhub.shipping import packing_slips
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]
SHIPPED = ["shipped", "partially_shipped", "delivered"]


@router.get("/resellers/{partner}/stores", response_class=HTMLResponse)
def stores(partner: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        row = resellers.visible_reseller(uow.connection, actor, partner)
        found = channels.partner_listings(uow.connection, actor.tenant_id, row.id)
    return page(request, "reseller_stores.html", actor, partner=row.code, name=row.name or row.code, stores=found)


@router.post("/resellers/{partner}/stores")
def connect_store(partner: str, actor: WebActor, hub: HubDep, code: Text, platform: Text, name: Text = "",
                  credentials: Annotated[str, Form(max_length=4000)] = "") -> RedirectResponse:
    """`credentials`: one `name=value` a line (sealed, never shown again)."""
    require(actor, "resellers.connect")
    keys = dict(line.split("=", 1) for line in credentials.splitlines() if "=" in line)
    body = StoreIn(code=code.strip(), platform=platform.strip(), name=name.strip() or None,
                   credentials={k.strip(): v.strip() for k, v in keys.items()})
    connect(hub, actor, partner, body)
    return RedirectResponse(f"/resellers/{partner}/stores", status_code=303)


@router.post("/resellers/{partner}/stores/{code}/listings")
def map_listing(partner: str, code: str, actor: WebActor, hub: HubDep, external_sku: Text,
                sku: Text) -> RedirectResponse:
    require(actor, "resellers.connect")
    map_to_sku(hub, actor, partner, code, ListingIn(external_sku=external_sku.strip(), sku=sku.strip()))
    return RedirectResponse(f"/resellers/{partner}/stores", status_code=303)


@router.get("/resellers/{partner}/parcels", response_class=HTMLResponse)
def parcels(partner: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    """Its orders' parcels (newest first) and returns; the form opens a return of a shipped order."""
    with hub.uow(write=False) as uow:
        row = resellers.visible_reseller(uow.connection, actor, partner)
        shipped = page_of(uow.connection, shipment_list(actor.tenant_id, partner_id=row.id), sort=None, cursor=None,
                          limit=100).items
        returned = page_of(uow.connection, return_list(actor.tenant_id, partner_id=row.id), sort=None, cursor=None,
                           limit=100).items
        returnable = list_orders(uow.connection, actor.tenant_id, partner_id=row.id, statuses=SHIPPED, limit=100)
    return page(request, "reseller_parcels.html", actor, partner=row.code, name=row.name or row.code,
                shipments=shipped, returns=returned, returnable=returnable)


@router.get("/shipments/{shipment_id}/packing-slip")
def packing_slip(shipment_id: uuid.UUID, actor: WebActor, hub: HubDep) -> Response:
    """The parcel's packing slip for a signed-in person: staff, the reseller whose order it is (blind: its name,
    never the brand's), or the supplier whose node ships it; anyone else 404."""
    with hub.uow(write=False) as uow:
        slip = fulfillment_queries.packing_slip(uow.connection, actor.tenant_id, shipment_id,
                                                partner_id=actor.partner_id)
    return Response(packing_slips.render(slip), media_type="application/pdf")


@router.post("/resellers/{partner}/returns")
def open_return(partner: str, actor: WebActor, hub: HubDep, order_id: Text, sku: Text,
                quantity: Annotated[int, Form(gt=0, le=10_000)] = 1,
                reason: Text = "") -> RedirectResponse:
    require(actor, "returns.open")
    with hub.uow(write=False) as uow:
        resellers.visible_reseller(uow.connection, actor, partner)
    # The order's id is checked by the command, after the reseller: another's, or no id at all, is unknown (404).
    hub.handle(CreateReturn(actor=actor, order_id=order_id.strip(), lines={sku.strip(): quantity},
                            reason=reason.strip() or None))
    return RedirectResponse(f"/resellers/{partner}/parcels", status_code=303)


