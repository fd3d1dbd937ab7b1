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
from flexhub.stores import alipaying, carts, links, member_cards, paying, pickups, queries, repository, store_shipping
from flexhub.stores.commands import CheckOut, CollectAtStore, SaleLine, ShipFromStore
from flexhub.stores.errors import TooManyRequests, UnknownSale, UnknownShelfLink
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
               collected: str | None = None, shipped: str | None = None, member: str | None = None) -> HTMLResponse:
    """The store staff's phone page: pick-ups waiting, a code to verify, parcels to ship from the store, a SKU's
    stock across the network, and a member's card (by their phone) for them to scan."""
    require(actor, "stores.read")
    return _staff(request, actor, hub, location, sku=sku, collected=collected, shipped=shipped, member=member)


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
           collected: str | None = None, shipped: str | None = None, member: str | None = None,
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
        base = hub.settings.public_url or str(request.base_url)
        card = member_cards.card_for_phone(uow, hub.vault, actor, member, base) if member else None
    return page(request, "store_staff.html", actor, status_code=error.status if error else 200, location=location,
                pickups=pickups.waiting(sales), to_ship=to_ship, shipped=shipped, sales=sales[:10], item=looked_up,
                lookup_error=lookup_error, sku=sku or "", collected=collected, error=error, back=request.url.path,
                member=member or "", card=card)

STORE = links.PREFIX + "/{tenant_id}/{location}"
SHOPPER = "shopper (store page)"
CART_COOKIE, CART_KEPT_S = "flexhub_cart", 2 * 3600


@router.post(STORE + "/cart/items", response_model=None)
def add_to_cart(tenant_id: uuid.UUID, location: str, request: Request, hub: HubDep, sku: Annotated[str, Form()],
                k: Annotated[str, Form()], mode: Annotated[str, Form()], quantity: Annotated[int, Form()] = 1,
                c: Annotated[str, Form()] = "") -> HTMLResponse | RedirectResponse:
    if limited := _limited(request):
        return limited
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
              line1: Annotated[str, Form(max_length=200)] = "", coupon: Annotated[str, Form(max_length=64)] = "",
              points: Annotated[int, Form(ge=0, le=10**9)] = 0,
              pay_with: Annotated[str, Form(pattern="^(wechatpay|alipay)$")] = "wechatpay"
              ) -> HTMLResponse | RedirectResponse:
    """One sale for the whole cart (a member's coupon and points taken off, when their card is on this phone), its
    payment asked of WeChat Pay (H5), then the receipt."""
    if limited := _limited(request):
        return limited
    shopper = Actor(tenant_id=tenant_id, role="admin", name=SHOPPER)
    member = member_cards.member_of(hub.vault, tenant_id, request.cookies.get(member_cards.COOKIE))
    try:
        lines = carts.read(hub.vault, tenant_id, location, c)
        ships = any(line.mode == "ship" for line in lines)
        sale_id = hub.handle(CheckOut(
            actor=shopper, location=location, lines=[SaleLine(sku=x.sku, quantity=x.quantity, mode=x.mode)
                                                     for x in lines],
            buyer={"name": name.strip() or "-", "phone": phone.strip()},
            ship_to={"country": "CN", "province": province, "city": city, "district": district, "line1": line1}
            if ships else None, member_id=str(member) if member else None, coupon=coupon.strip() or None,
            points=points))
        base = (hub.settings.public_url or str(request.base_url)).rstrip("/")
        if pay_with == alipaying.GATEWAY:
            alipaying.ask_payment(hub.uow, hub.http, hub.vault, tenant_id, sale_id,
                                  notify_url=f"{base}/webhooks/payments/alipay/{tenant_id}")
        else:
            paying.ask_payment(hub.uow, hub.http, hub.vault, tenant_id, sale_id, openid=None,
                               payer_ip=request.client.host if request.client else "127.0.0.1",
                               notify_url=f"{base}/webhooks/payments/wechatpay/{tenant_id}")
    except FlexhubError as error:
        return _cart(request, hub, tenant_id, location, c, error=error,
                     buyer={"name": name, "phone": phone, "province": province, "city": city, "district": district,
                            "line1": line1, "coupon": coupon, "points": str(points)})
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


@router.get(links.PREFIX + "/{tenant_id}/members/{member_id}/card", response_class=HTMLResponse)
def member_card(tenant_id: uuid.UUID, member_id: uuid.UUID, request: Request, hub: HubDep, m: str = "") -> HTMLResponse:
    """The member's card opened on their phone (scanned from the staff's page): kept for the tenant's shopper pages,
    so the cart offers their points and coupons."""
    if not member_cards.is_genuine(hub.vault, tenant_id, member_id, m):
        return _missing(request, "this link was not made by this hub")
    try:
        with hub.uow(write=False) as uow:
            member = member_cards.wallet(uow, tenant_id, member_id, subtotal=0, currency="")
    except FlexhubError:
        return _missing(request, "no such member here")
    answer = page(request, "shelf_card.html", member=member)
    answer.set_cookie(member_cards.COOKIE, member_cards.token(hub.vault, tenant_id, member_id),
                      max_age=member_cards.KEPT_S, path=f"{links.PREFIX}/{tenant_id}", httponly=True, samesite="lax")
    return answer


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
    member_id = member_cards.member_of(hub.vault, tenant_id, request.cookies.get(member_cards.COOKIE))
    member = None
    with hub.uow(write=False) as uow:
        alipay = repository.alipay_account(uow.connection, tenant_id) is not None
        if member_id is not None and items:
            try:
                member = member_cards.wallet(uow, tenant_id, member_id, subtotal=subtotal, currency=currency)
            except FlexhubError:  # a card of a member no longer here names nobody
                member = None
    return page(request, "shelf_cart.html", status_code=error.status if error else 200, store=store, items=items,
                subtotal=subtotal, currency=currency, cart=c, error=error, buyer=buyer or {}, member=member,
                alipay=alipay,
                ships=any(x["line"].mode == "ship" for x in items),
                checkout=_store_path(tenant_id, location) + "/cart/checkout",
                here=_cart_path(tenant_id, location, c))


def _store_path(tenant_id: uuid.UUID, location: str) -> str:
    return f"{links.PREFIX}/{tenant_id}/{quote(location, safe='')}"


def _cart_path(tenant_id: uuid.UUID, location: str, c: str) -> str:
    return f"{_store_path(tenant_id, location)}/cart/items?c={c}"


def _limited(request: Request) -> HTMLResponse | None:
    """None while this client may write through the shopper pages; else the 429 page, with Retry-After."""
    try:
        request.app.state.shopper_limits.take(request.client.host if request.client else "-")
    except TooManyRequests as error:
        answer = page(request, "shelf_busy.html", status_code=error.status, error=error)
        answer.headers["Retry-After"] = str(error.details["retry_after_s"])
        return answer
    return None


def _missing(request: Request, message: str) -> HTMLResponse:
    return page(request, "shelf_missing.html", status_code=404, code=UnknownShelfLink.code, message=message)
