"""The shopper's page a shelf QR code opens (no sign-in; the mini-program stand-in): the product, its price, the
store's and the network's available units and the delivery promise, in English or 简体中文. A link not made by
this hub (its tag does not match) is 404, telling nothing. On it the shopper buys: a cart of lines each taken now,
picked up later or shipped, one checkout paid through WeChat Pay (H5), and the receipt (paid or not, the pick-up
code, where a parcel comes from); a cart is carried in its links, tagged with the hub's key for one store
(stores.carts), a line is added only from a genuine shelf link, and a receipt opens only by the link the checkout
gave. And the store staff's phone page: pick-ups waiting, a pick-up code verified, parcels to ship from the store,
a SKU's stock looked up across the network."""

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.stores import carts, links, paying, pickups, queries, store_shipping
from flexhub.stores.commands import CheckOut, CollectAtStore, SaleLine, ShipFromStore
from flexhub.stores.errors import UnknownSale, UnknownShelfLink
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
    cart = request.cookies.get(CART_COOKIE, "")
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

STORE = links.PREFIX + "/{tenant_id}/{location}"
SHOPPER = "shopper (store page)"
CART_COOKIE, CART_KEPT_S = "flexhub_cart", 2 * 3600


@router.post(STORE + "/cart/items", response_model=None)
def add_to_cart(tenant_id: uuid.UUID, location: str, request: Request, hub: HubDep, sku: Annotated[str, Form()],
                k: Annotated[str, Form()], mode: Annotated[str, Form()], quantity: Annotated[int, Form()] = 1,
                c: Annotated[str, Form()] = "") -> HTMLResponse | RedirectResponse:
    if not links.is_genuine(hub.vault, tenant_id, location, sku, k):
        return _missing(request, "this link was not made by this hub")
    try:
        lines = carts.added(carts.read(hub.vault, tenant_id, location, c), carts.CartLine(sku, quantity, mode))
    except FlexhubError as error:
        return _cart(request, hub, tenant_id, location, c, error=error)
    kept = carts.token(hub.vault, tenant_id, location, lines)
    answer = RedirectResponse(_cart_path(tenant_id, location, kept), status_code=303)
    # The next shelf scanned in this store adds to the same cart.
    answer.set_cookie(CART_COOKIE, kept, max_age=CART_KEPT_S, path=_store_path(tenant_id, location),
                      httponly=True, samesite="lax")
    return answer


@router.get(STORE + "/cart/items", response_class=HTMLResponse)
def cart_page(tenant_id: uuid.UUID, location: str, request: Request, hub: HubDep, c: str = "") -> HTMLResponse:
    return _cart(request, hub, tenant_id, location, c)


@router.post(STORE + "/cart/checkout", response_model=None)
def check_out(tenant_id: uuid.UUID, location: str, request: Request, hub: HubDep, c: Annotated[str, Form()],
              name: Annotated[str, Form(max_length=100)], phone: Annotated[str, Form(max_length=30)],
              province: Annotated[str, Form(max_length=50)] = "", city: Annotated[str, Form(max_length=50)] = "",
              district: Annotated[str, Form(max_length=50)] = "",
              line1: Annotated[str, Form(max_length=200)] = "") -> HTMLResponse | RedirectResponse:
    """One sale for the whole cart, its payment asked of WeChat Pay (H5), then the receipt."""
    shopper = Actor(tenant_id=tenant_id, role="admin", name=SHOPPER)
    try:
        lines = carts.read(hub.vault, tenant_id, location, c)
        ships = any(line.mode == "ship" for line in lines)
        sale_id = hub.handle(CheckOut(
            actor=shopper, location=location, lines=[SaleLine(sku=x.sku, quantity=x.quantity, mode=x.mode)
                                                     for x in lines],
            buyer={"name": name.strip() or "-", "phone": phone.strip()},
            ship_to={"country": "CN", "province": province, "city": city, "district": district, "line1": line1}
            if ships else None))
        base = (hub.settings.public_url or str(request.base_url)).rstrip("/")
        paying.ask_payment(hub.uow, hub.http, hub.vault, tenant_id, sale_id, openid=None,
                           payer_ip=request.client.host if request.client else "127.0.0.1",
                           notify_url=f"{base}/webhooks/payments/wechatpay/{tenant_id}")
    except FlexhubError as error:
        return _cart(request, hub, tenant_id, location, c, error=error,
                     buyer={"name": name, "phone": phone, "province": province, "city": city, "district": district,
                            "line1": line1})
    return RedirectResponse(links.sale_path(hub.vault, tenant_id, location, sale_id), status_code=303)


@router.get(STORE + "/sales/{sale_id}", response_class=HTMLResponse)
def receipt(tenant_id: uuid.UUID, location: str, sale_id: uuid.UUID, request: Request, hub: HubDep,
            t: str = "") -> HTMLResponse:
    """The shopper's receipt: waiting for the payment (with WeChat Pay's page to pay on), or paid: what was taken,
    the pick-up code, where the parcel comes from."""
    if not links.is_genuine_sale(hub.vault, tenant_id, location, sale_id, t):
        return _missing(request, "this link was not made by this hub")
    try:
        with hub.uow(write=False) as uow:
            sale = queries.sale_view(uow, tenant_id, sale_id, location)
            store = queries.store(uow, tenant_id, location)
    except (UnknownSale, UnknownShelfLink):
        return _missing(request, "no such sale here")
    return page(request, "shelf_sale.html", sale=sale, store=store, here=f"{request.url.path}?t={t}")


def _cart(request: Request, hub: Any, tenant_id: uuid.UUID, location: str, c: str, *,
          error: FlexhubError | None = None, buyer: dict[str, str] | None = None) -> HTMLResponse:
    try:
        lines = carts.read(hub.vault, tenant_id, location, c)
        with hub.uow(write=False) as uow:
            store = queries.store(uow, tenant_id, location)
            items: list[dict[str, Any]] = [
                {"line": line, "item": queries.shelf_view(uow, tenant_id, location, line.sku),
                 "back": links.shelf_path(hub.vault, tenant_id, location, line.sku)} for line in lines]
    except FlexhubError as failed:
        return _missing(request, str(failed.message))
    subtotal = sum((x["item"]["price"] or 0) * x["line"].quantity for x in items)
    currency = next((x["item"]["currency"] for x in items if x["item"]["currency"]), "")
    return page(request, "shelf_cart.html", status_code=error.status if error else 200, store=store, items=items,
                subtotal=subtotal, currency=currency, cart=c, error=error, buyer=buyer or {},
                ships=any(x["line"].mode == "ship" for x in items),
                checkout=_store_path(tenant_id, location) + "/cart/checkout",
                here=_cart_path(tenant_id, location, c))


def _store_path(tenant_id: uuid.UUID, location: str) -> str:
    return f"{links.PREFIX}/{tenant_id}/{quote(location, safe='')}"


def _cart_path(tenant_id: uuid.UUID, location: str, c: str) -> str:
    return f"{_store_path(tenant_id, location)}/cart/items?c={c}"


def _missing(request: Request, message: str) -> HTMLResponse:
    return page(request, "shelf_missing.html", status_code=404, code=UnknownShelfLink.code, message=message)
