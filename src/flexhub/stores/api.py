"""Stores routes: /api/v1/stores — a SKU as a store's shelf shows it, its QR code (a PNG of the shopper's page's
absolute address), and shelf prices. Staff only."""

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.kernel.money_text import LANGUAGES, money_text
from flexhub.stores import alipaying, links, paying, queries, refunds, store_shipping
from flexhub.stores import balancing as store_balancing
from flexhub.stores.commands import (
    CheckOut,
    CollectAtStore,
    SaleLine,
    SetAlipay,
    SetShelfPrice,
    SetWechatPay,
    ShipFromStore,
)
from flexhub.stores.errors import NoPaymentAccount
from flexhub.stores.labels import Label
from flexhub.stores.labels import sheet as labels_sheet
from flexhub.stores.qr import qr_png
from flexhub.stores.schemas import (
    AlipayIn,
    AlipayOut,
    BalancedOut,
    BalancingOut,
    PickupIn,
    PickupOut,
    PriceIn,
    PriceOut,
    RefundIn,
    RefundOut,
    SaleIn,
    SaleOut,
    ShelfOut,
    ShipIn,
    ShippedOut,
    ShipTaskOut,
    WechatPayIn,
    WechatPayOut,
)

router = APIRouter(prefix="/api/v1/stores", tags=["stores"])
Reader = Annotated[Actor, Depends(allowed("stores.read"))]
Writer = Annotated[Actor, Depends(allowed("stores.write"))]
Admin = Annotated[Actor, Depends(allowed("stores.configure"))]
SHELF = "/{location}/skus/{sku}"


def shelf_url(request: Request, hub: HubDep, actor: Actor, location: str, sku: str) -> str:
    """The absolute address of the shopper's page: the configured public address, else the request's own."""
    base = hub.settings.public_url or str(request.base_url)
    return base.rstrip("/") + links.shelf_path(hub.vault, actor.tenant_id, location, sku)


def notify_url(request: Request, hub: HubDep, actor: Actor, gateway: str = "wechatpay") -> str:
    """Where WeChat Pay (or Alipay) posts the tenant's payment and refund notifications."""
    base = (hub.settings.public_url or str(request.base_url)).rstrip("/")
    return f"{base}/webhooks/payments/{gateway}/{actor.tenant_id}"


@router.get(SHELF, response_model=ShelfOut)
def shelf(location: str, sku: str, request: Request, actor: Reader, hub: HubDep) -> dict:
    """What the shopper's page shows: price, the store's and the network's available units, the promise."""
    with hub.uow(write=False) as uow:
        view = queries.shelf_view(uow, actor.tenant_id, location, sku)
    return {**view, "url": shelf_url(request, hub, actor, location, sku)}


@router.get(SHELF + "/qr", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "the QR code"}})
def qr(location: str, sku: str, request: Request, actor: Reader, hub: HubDep) -> Response:
    """A PNG QR code of the shopper's page of this SKU in this store (an absolute address, no sign-in)."""
    with hub.uow(write=False) as uow:
        queries.store(uow, actor.tenant_id, location)
        queries.sku_named(uow, actor.tenant_id, sku)
    return Response(qr_png(shelf_url(request, hub, actor, location, sku)), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


LANGUAGE = f"^({'|'.join(LANGUAGES)})$"


@router.get("/{location}/labels.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "an A4 sheet of shelf labels"}})
def labels(location: str, request: Request, actor: Reader, hub: HubDep,
           sku: Annotated[list[str], Query(min_length=1, max_length=200)],
           lang: Annotated[str, Query(pattern=LANGUAGE, description="the prices' language: en | zh_Hans")] = "zh_Hans",
           ) -> Response:
    """Shelf labels for the store on A4 (24 a sheet): each SKU named, with its QR code, name, code and shelf
    price, written as the pages write money in `lang` (¥99.00 in Chinese, CN¥99.00 in English)."""
    with hub.uow(write=False) as uow:
        queries.store(uow, actor.tenant_id, location)
        items = queries.label_items(uow, actor.tenant_id, sku)
    sheet = [Label(shelf_url(request, hub, actor, location, item["sku"]), item["sku"], item["name"],
                   money_text(item["price"].amount, item["price"].currency, lang) if item["price"] else "")
             for item in items]
    return Response(labels_sheet(location, sheet), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="labels-{quote(location)}.pdf"'})


@router.put("/prices/{sku}", response_model=PriceOut)
def set_price(sku: str, body: PriceIn, actor: Writer, hub: HubDep) -> PriceOut:
    """The SKU's shelf price: what the shopper's page shows and a store sale charges."""
    return hub.handle(SetShelfPrice(actor=actor, sku=sku, amount=body.amount, currency=body.currency))


@router.put("/wechatpay", response_model=WechatPayOut)
def set_wechatpay(body: WechatPayIn, actor: Admin, hub: HubDep) -> WechatPayOut:
    """The tenant's WeChat Pay merchant account: its keys and the platform certificates are sealed at rest."""
    return hub.handle(SetWechatPay(actor=actor, **body.model_dump()))


@router.put("/alipay", response_model=AlipayOut)
def set_alipay(body: AlipayIn, actor: Admin, hub: HubDep) -> AlipayOut:
    """The tenant's Alipay app (支付宝开放平台, RSA2), for store sales paid by Alipay; its keys sealed at rest."""
    return hub.handle(SetAlipay(actor=actor, **body.model_dump()))


@router.post("/{location}/sales", status_code=201, response_model=SaleOut)
def check_out(location: str, body: SaleIn, request: Request, actor: Writer, hub: HubDep) -> dict:
    """A store sale: each line taken now, picked up later or shipped; one WeChat Pay payment for all (JSAPI with the
    buyer's openid, H5 without). Its orders hold their stock until paid; the payment's notification hands the
    take-now lines over and gives the pick-up order its code."""
    with hub.uow(write=False) as uow:
        queries.store(uow, actor.tenant_id, location)  # another's or no store: 404 before anything else
        if body.pay_with == "alipay" and paying.repository.alipay_account(uow.connection, actor.tenant_id) is None:
            raise NoPaymentAccount("set up the tenant's Alipay app first")
        if body.pay_with == "wechatpay" and paying.repository.wechatpay_account(uow.connection,
                                                                                actor.tenant_id) is None:
            raise NoPaymentAccount("set up the tenant's WeChat Pay merchant account first")
    lines = [SaleLine(sku=line.sku, quantity=line.quantity, mode=line.mode) for line in body.lines]
    sale_id = hub.handle(CheckOut(actor=actor, location=location, lines=lines, buyer=dict(body.buyer),
                                  ship_to=dict(body.ship_to) if body.ship_to else None,
                                  member_id=str(body.member_id) if body.member_id else None, coupon=body.coupon,
                                  points=body.points))
    if body.pay_with == "alipay":
        alipaying.ask_payment(hub.uow, hub.http, hub.vault, actor.tenant_id, sale_id,
                              notify_url=notify_url(request, hub, actor, gateway="alipay"))
    else:
        paying.ask_payment(hub.uow, hub.http, hub.vault, actor.tenant_id, sale_id, openid=body.buyer.get("openid"),
                           payer_ip=request.client.host if request.client else "127.0.0.1",
                           notify_url=notify_url(request, hub, actor))
    with hub.uow(write=False) as uow:
        return queries.sale_view(uow, actor.tenant_id, sale_id)


@router.get("/{location}/sales/{sale_id}", response_model=SaleOut)
def sale(location: str, sale_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    """One sale of the store, with its orders, pick-up codes and refunds."""
    with hub.uow(write=False) as uow:
        return queries.sale_view(uow, actor.tenant_id, sale_id, location)


@router.post("/{location}/sales/{sale_id}/refunds", status_code=201, response_model=RefundOut)
def refund(location: str, sale_id: uuid.UUID, body: RefundIn, request: Request, actor: Writer, hub: HubDep) -> dict:
    """Refund a paid sale, whole or some of its orders, through the gateway that took the payment (WeChat Pay or
    Alipay): stock not handed over is let go, goods handed over at the store come back on its shelf, goods shipped
    come back through a return; the member gets back the points spent and loses the points earned, and a sale
    refunded whole gives its coupon back. An order that is packed for shipping or refunded already is 409
    `stores.not_refundable`, nothing changed. A refund the gateway did not answer is 502
    `payments.refund_unanswered` and waits (`unanswered`): asked again for the same orders, it goes out under the
    same `out_refund_no`, refunded at most once."""
    with hub.uow(write=False) as uow:
        queries.sale_view(uow, actor.tenant_id, sale_id, location)  # another store's sale: 404
    return refunds.refund_sale(hub.uow, hub.http, hub.vault, hub.handle, actor, sale_id, order_ids=body.orders,
                               reason=body.reason, notify_url=notify_url(request, hub, actor))


@router.get("/{location}/sales", response_model=list[SaleOut])
def list_sales(location: str, actor: Reader, hub: HubDep) -> list[dict]:
    """The store's latest sales, newest first, with their orders and pick-up codes."""
    with hub.uow(write=False) as uow:
        return queries.sales_at(uow, actor.tenant_id, location)


@router.post("/{location}/pickups", response_model=PickupOut)
def collect(location: str, body: PickupIn, actor: Writer, hub: HubDep) -> PickupOut:
    """The buyer shows a pick-up code: the order put aside at this store is handed over. A code that names no order
    waiting here is 409 `fulfillment.wrong_pickup_code`, nothing changed."""
    return hub.handle(CollectAtStore(actor=actor, location=location, code=body.code))


@router.get("/{location}/shipping", response_model=list[ShipTaskOut])
def to_ship(location: str, actor: Reader, hub: HubDep) -> list[dict]:
    """Ship-from-store tasks: orders routing sent to ship from this store that have not left, oldest first."""
    with hub.uow(write=False) as uow:
        return store_shipping.tasks(uow, actor.tenant_id, location)


@router.post("/{location}/shipping/{order_id}", response_model=ShippedOut)
def ship(location: str, order_id: uuid.UUID, body: ShipIn, actor: Writer, hub: HubDep) -> ShippedOut:
    """The task done: the parcel made, picked, packed and handed to the courier under its waybill. An order not
    waiting to ship from this store is 409 `stores.not_a_task`, nothing changed."""
    return hub.handle(ShipFromStore(actor=actor, location=location, order_id=str(order_id),
                                    waybill_number=body.waybill_number))


@router.get("/{location}/balancing", response_model=BalancingOut)
def balancing(location: str, actor: Reader, hub: HubDep) -> dict:
    """Transfers to or from the store that replenishment suggests from sales and forecasts."""
    with hub.uow(write=False) as uow:
        return {"suggestions": store_balancing.suggestions(uow, actor.tenant_id, location)}


@router.post("/{location}/balancing", status_code=201, response_model=BalancedOut)
def balance(location: str, actor: Writer, hub: HubDep) -> dict:
    """The suggested transfers made, one per pair of nodes (one click on the staff page)."""
    with hub.uow(write=False) as uow:
        moves = store_balancing.suggestions(uow, actor.tenant_id, location)
    return {"transfers": store_balancing.carry_out(actor, moves, hub.handle)}
