"""The shopper's page a shelf QR code opens (no sign-in; the mini-program stand-in): the product, its price, the
store's and the network's available units and the delivery promise, in English or 简体中文. A link not made by
this hub (its tag does not match) is 404, telling nothing. And the store staff's phone page: pick-ups waiting, a
pick-up code verified, parcels to ship from the store, a SKU's stock looked up across the network."""

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError
from flexhub.stores import links, pickups, queries, shopper_pages, store_shipping
from flexhub.stores.commands import CollectAtStore, ShipFromStore
from flexhub.stores.errors import UnknownShelfLink
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)


@router.get(links.PREFIX + "/{tenant_id}/{location}/{sku}", response_class=HTMLResponse)
def shelf_page(tenant_id: uuid.UUID, location: str, sku: str, request: Request, hub: HubDep,
               k: str = "") -> HTMLResponse:
    try:
        if not links.is_genuine(hub.vault, tenant_id, location, sku, k):
            raise UnknownShelfLink("this link was not made by this hub")
        with hub.uow(write=False) as uow:
            view = queries.shelf_view(uow, tenant_id, location, sku)
    except FlexhubError as error:
        return page(request, "shelf_missing.html", status_code=404, code=UnknownShelfLink.code,
                    message=str(error.message))
    cart = request.cookies.get(shopper_pages.CART_COOKIE, "")
    return page(request, "shelf.html", item=view, here=str(request.url.path) + "?k=" + k, k=k, cart=cart,
                add=f"{links.PREFIX}/{tenant_id}/{quote(location, safe='')}/cart/items")


@router.get("/store/{location}", response_class=HTMLResponse)
def staff_page(location: str, request: Request, actor: WebActor, hub: HubDep, sku: str | None = None,
               collected: str | None = None, shipped: str | None = None) -> HTMLResponse:
    """The store staff's phone page: pick-ups waiting, a code to verify, parcels to ship from the store, a SKU's
    stock across the network."""
    require(actor, "stores.read")
    return _staff(request, actor, hub, location, sku=sku, collected=collected, shipped=shipped)


@router.post("/store/{location}/pickups", response_model=None)
def verify_code(location: str, request: Request, actor: WebActor, hub: HubDep,
                code: Annotated[str, Form()]) -> HTMLResponse | RedirectResponse:
    require(actor, "stores.write")
    try:
        done = hub.handle(CollectAtStore(actor=actor, location=location, code=code[:12]))
    except FlexhubError as error:
        return _staff(request, actor, hub, location, error=error)
    return RedirectResponse(f"/store/{quote(location, safe='')}?collected={done['order_id']}", status_code=303)


@router.post("/store/{location}/ship", response_model=None)
def ship(location: str, request: Request, actor: WebActor, hub: HubDep, order_id: Annotated[str, Form()],
         waybill_number: Annotated[str, Form(max_length=64)]) -> HTMLResponse | RedirectResponse:
    """A ship-from-store task done: the parcel packed and handed to the courier under its waybill."""
    require(actor, "stores.write")
    try:
        done = hub.handle(ShipFromStore(actor=actor, location=location, order_id=order_id,
                                        waybill_number=waybill_number))
    except FlexhubError as error:
        return _staff(request, actor, hub, location, error=error)
    return RedirectResponse(f"/store/{quote(location, safe='')}?shipped={done['order_id']}", status_code=303)


def _staff(request: Request, actor: Any, hub: Any, location: str, *, sku: str | None = None,
           collected: str | None = None, shipped: str | None = None,
           error: FlexhubError | None = None) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        sales = queries.sales_at(uow, actor.tenant_id, location, limit=200)
        to_ship = store_shipping.tasks(uow, actor.tenant_id, location)
        looked_up, lookup_error = None, None
        if sku:
            try:
                looked_up = queries.shelf_view(uow, actor.tenant_id, location, sku.strip())
            except FlexhubError as failed:
                lookup_error = failed
    return page(request, "store_staff.html", actor, status_code=error.status if error else 200, location=location,
                pickups=pickups.waiting(sales), to_ship=to_ship, shipped=shipped, sales=sales[:10], item=looked_up,
                lookup_error=lookup_error, sku=sku or "", collected=collected, error=error, back=request.url.path)
