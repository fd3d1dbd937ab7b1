"""The shopper's buy flow on the phone page a shelf QR code opens (no sign-in; the mini-program stand-in): a cart
of lines each taken now, picked up later or shipped, one checkout for all of them paid through WeChat Pay (H5), and
the receipt: paid or not, the pick-up code, where a shipped line goes from. A cart is carried in its links, tagged
with the hub's key for one store (stores.carts); a line is added only from a genuine shelf link, and a receipt opens
only by the link the checkout gave."""

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.stores import carts, links, paying, queries
from flexhub.stores.commands import CheckOut, SaleLine
from flexhub.stores.errors import UnknownSale, UnknownShelfLink
from flexhub.web.render import page

router = APIRouter(include_in_schema=False)
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
            ship_to={"country": "CN", "province": province, "city": city, "line1": line1} if ships else None))
        base = (hub.settings.public_url or str(request.base_url)).rstrip("/")
        paying.ask_payment(hub.uow, hub.http, hub.vault, tenant_id, sale_id, openid=None,
                           payer_ip=request.client.host if request.client else "127.0.0.1",
                           notify_url=f"{base}/webhooks/payments/wechatpay/{tenant_id}")
    except FlexhubError as error:
        return _cart(request, hub, tenant_id, location, c, error=error,
                     buyer={"name": name, "phone": phone, "province": province, "city": city, "line1": line1})
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
