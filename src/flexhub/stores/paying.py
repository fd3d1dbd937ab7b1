"""A store sale paid through WeChat Pay: the merchant account (its keys sealed), the prepay asked outside any
transaction (a JSAPI prepay for a payer in WeChat, H5 for a phone browser; the answer's platform signature
checked), and the payment notification: verified and decrypted first — a bad signature is refused
`payments.bad_signature` with nothing written — then applied once: the sale paid, its orders paid, the take-now
order handed over at once and the pick-up order given its code. A refund's notification (stores.refunds asks for
refunds) is verified the same way and keeps what WeChat Pay says of the refund."""

import json
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx2

from flexhub import fulfillment, ordering, routing
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.integrations.signing import SignatureInvalid
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.stores import repository
from flexhub.stores.commands import SetWechatPay, TakePayment
from flexhub.stores.errors import (
    AmountMismatch,
    BadSignature,
    GatewayFailed,
    NoPaymentAccount,
    UnknownRefund,
    UnknownSale,
)
from flexhub.stores.payments import wechatpay
from flexhub.stores.schemas import WechatPayOut

Dispatch = Callable[[Any], Any]
DONE = frozenset({"collected", "awaiting_pickup", "shipping"})
WAITING = frozenset({"on_hold", "exception", "awaiting_stock"})  # paid, but nothing can be handed over yet


def stamp() -> dict[str, Any]:
    """A signed request's timestamp and nonce."""
    return {"timestamp": int(time.time()), "nonce": secrets.token_hex(16)}


def set_wechatpay(cmd: SetWechatPay, uow_factory: UnitOfWorkFactory, vault: Vault) -> WechatPayOut:
    check_target(cmd.base_url, allow_private=cmd.allow_private)
    sealed = vault.seal({"private_key_pem": cmd.private_key_pem, "api_v3_key": cmd.api_v3_key,
                         "serial_no": cmd.serial_no, "platform_certificates": json.dumps(cmd.platform_certificates)})
    with uow_factory() as uow:
        repository.save_wechatpay(uow.connection, {
            "tenant_id": cmd.actor.tenant_id, "mchid": cmd.mchid, "appid": cmd.appid, "base_url": cmd.base_url,
            "allow_private": cmd.allow_private, "sealed": sealed, "updated_at": clock.now()})
        audit.record(uow, cmd.actor, audit.Audited("wechatpay.set", "tenant", cmd.actor.tenant_id,
                                                   {"mchid": cmd.mchid, "base_url": cmd.base_url}))
        uow.commit()
    return WechatPayOut(mchid=cmd.mchid, appid=cmd.appid, base_url=cmd.base_url,
                        platform_serials=sorted(cmd.platform_certificates))


def merchant_of(account: Any, vault: Vault) -> wechatpay.Merchant:
    opened = vault.open(account.sealed)
    return wechatpay.Merchant(account.mchid, account.appid, opened["serial_no"], opened["private_key_pem"],
                              opened["api_v3_key"], json.loads(opened["platform_certificates"]), account.base_url)


def ask_payment(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, tenant_id: uuid.UUID,
                sale_id: uuid.UUID, *, openid: str | None, payer_ip: str, notify_url: str) -> dict[str, Any]:
    """The prepay for a pending sale; what the payer's page needs to pay is kept on the sale and answered."""
    with uow_factory(write=False) as uow:
        account = repository.wechatpay_account(uow.connection, tenant_id)
        sale = repository.sale(uow.connection, tenant_id, sale_id)
    if account is None:
        raise NoPaymentAccount("set up the tenant's WeChat Pay merchant account first")
    merchant, now, nonce = merchant_of(account, vault), int(time.time()), secrets.token_hex(16)
    fields = {"out_trade_no": sale.id.hex, "description": f"Store sale {sale.id.hex[-8:]}", "total": sale.total,
              "notify_url": notify_url, "timestamp": now, "nonce": nonce, "currency": sale.currency}
    request = (wechatpay.jsapi_prepay(merchant, openid=openid, **fields) if openid
               else wechatpay.h5_prepay(merchant, payer_ip=payer_ip, **fields))
    document = call_wechatpay(http, merchant, request, "prepay", allow_private=account.allow_private)
    payment: dict[str, Any] = {"gateway": "wechatpay"}
    if openid:
        payment.update(prepay_id=document["prepay_id"], pay_params=wechatpay.jsapi_pay_params(
            merchant, document["prepay_id"], timestamp=now, nonce=secrets.token_hex(16)))
    else:
        payment.update(h5_url=document["h5_url"])
    with uow_factory() as uow:
        repository.update_sale(uow.connection, tenant_id, sale_id, payment=payment)
        uow.commit()
    return payment


def take_payment(cmd: TakePayment, uow_factory: UnitOfWorkFactory, vault: Vault, dispatch: Dispatch) -> str:
    """Apply a notification for the tenant; the sale's state afterwards."""
    tenant_id = cmd.actor.tenant_id
    with uow_factory(write=False) as uow:
        account = repository.wechatpay_account(uow.connection, tenant_id)
    if account is None:
        raise BadSignature("no merchant account here to verify a WeChat Pay notification with")
    try:
        read = wechatpay.read_notification(merchant_of(account, vault), cmd.headers, cmd.body)
    except SignatureInvalid as error:
        raise BadSignature(str(error)) from None
    if read.event_type in wechatpay.REFUND_OUTCOMES:
        return _refund_told(cmd.actor, read, uow_factory)
    if read.event_type != wechatpay.PAID or read.resource.get("trade_state") != "SUCCESS":
        return "ignored"
    return sale_paid(cmd.actor, read.resource, uow_factory, dispatch)


def sale_paid(actor: Actor, transaction: dict[str, Any], uow_factory: UnitOfWorkFactory, dispatch: Dispatch) -> str:
    """A verified payment applied once, whichever gateway told it: `transaction` in WeChat Pay's terms
    (out_trade_no, amount.total/currency, transaction_id)."""
    tenant_id = actor.tenant_id
    try:
        sale_id = uuid.UUID(hex=str(transaction.get("out_trade_no")))
    except ValueError:
        raise UnknownSale("no sale has this out_trade_no") from None
    with uow_factory() as uow:
        sale = repository.sale(uow.connection, tenant_id, sale_id, lock=True)
        if sale is None:
            raise UnknownSale("no sale has this out_trade_no")
        amount = transaction.get("amount") or {}
        if (amount.get("total"), amount.get("currency", "CNY")) != (sale.total, sale.currency):
            raise AmountMismatch("the payment's amount is not the sale's", paid=amount.get("total"), due=sale.total)
        first = repository.mark_paid(uow.connection, tenant_id, sale_id, paid_at=clock.now(), payment={
            **sale.payment, "transaction_id": transaction.get("transaction_id")})
        audit.record(uow, actor, audit.Audited("store_sale.paid", "store_sale", sale_id,
                                               {"transaction_id": transaction.get("transaction_id")}))
        uow.commit()
    if first or any(entry.get("state") not in DONE for entry in sale.orders):
        _fulfil(actor, sale, uow_factory, dispatch)  # told again after a failure half-way: carry on where it was
    return "paid"


def _fulfil(actor: Actor, sale: Any, uow_factory: UnitOfWorkFactory, dispatch: Dispatch) -> None:
    """The orders paid; the take-now order routed to the store, picked, packed and handed over; the pick-up order
    routed there and put aside, its code kept for the buyer; the ship order routed. Each order's step is kept as it
    is done, so a notification told again carries on from there."""
    kept = list(sale.orders)
    for n, entry in enumerate(kept):
        if entry.get("state") in DONE:
            continue
        kept[n] = {**entry, **_fulfil_order(actor, sale, entry, uow_factory, dispatch)}
        with uow_factory() as uow:
            repository.update_sale(uow.connection, sale.tenant_id, sale.id, orders=kept)
            uow.commit()


def _fulfil_order(actor: Actor, sale: Any, entry: dict[str, Any], uow_factory: UnitOfWorkFactory,
                  dispatch: Dispatch) -> dict[str, Any]:
    """What became of one of the sale's orders once paid: its state (and shipment, code or nodes)."""
    order_id = uuid.UUID(entry["order_id"])
    order = order_now(uow_factory, sale.tenant_id, order_id)
    if order["payment_state"] == "pending":
        paid = version_of(order, payment_state="paid")
        dispatch(ordering.ImportOrder(actor=actor, order=ordering.OrderIn.model_validate(paid)))
        order = order_now(uow_factory, sale.tenant_id, order_id)
    if order["status"] in WAITING:  # held by the cleaning rules, or short of stock: someone must see to it
        return {"state": order["status"]}
    if order["status"] == "reserved":
        try:
            routed = dispatch(routing.RouteOrder(actor=actor, order_id=str(order_id)))
        except ordering.InvalidTransition:  # the routing job took it since it was paid: carry on from there
            routed = None
        if routed is not None and routed.outcome != "routed":
            return {"state": routed.outcome}
    if entry["mode"] == "ship":
        held = order_now(uow_factory, sale.tenant_id, order_id)["reservations"]
        return {"state": "shipping", "nodes": sorted({r["location"] for r in held if r["state"] == "active"})}
    return _at_the_store(actor, str(order_id), entry["mode"], dispatch)


def order_now(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, order_id: uuid.UUID) -> dict[str, Any]:
    with uow_factory(write=False) as uow:
        return ordering.order_view(uow.connection, tenant_id, order_id)


def version_of(order: dict[str, Any], *, payment_state: str) -> dict[str, Any]:
    """A newer version of one of the store's own orders, as its channel would send it, with a new payment state."""
    body = {k: order[k] for k in ("channel", "external_id", "currency", "buyer", "shipping_address", "shipping_fee")}
    body.update(lines=[{"sku": line["sku"], "quantity": line["quantity"], "unit_price": line["unit_price"],
                        "discount": line["discount"]} for line in order["lines"]],
                order_discount=order["discount_total"] - sum(line["discount"] for line in order["lines"]),
                payment_state=payment_state, updated_at=clock.now().isoformat(), on_shortage="reject")
    return body


def _at_the_store(actor: Actor, order_id: str, mode: str, dispatch: Dispatch) -> dict[str, Any]:
    shipment = dispatch(fulfillment.CreateShipment(actor=actor, order_id=order_id))
    dispatch(fulfillment.ConfirmPick(actor=actor, shipment_id=str(shipment.id)))  # put aside at the store
    if mode == "take":
        dispatch(fulfillment.PackShipment(actor=actor, shipment_id=str(shipment.id)))
        dispatch(fulfillment.CollectPickup(actor=actor, shipment_id=str(shipment.id), code=shipment.pickup_code))
        return {"shipment_id": str(shipment.id), "state": "collected"}
    # A pick-up is put aside picked, not packed: until the buyer comes it may still be refunded and let go.
    return {"shipment_id": str(shipment.id), "pickup_code": shipment.pickup_code, "state": "awaiting_pickup"}


def _refund_told(actor: Actor, notification: wechatpay.Notification, uow_factory: UnitOfWorkFactory) -> str:
    """WeChat Pay's word on a refund (verified and decrypted by the caller): the refund's state kept, once."""
    resource = notification.resource
    try:
        sale_id = uuid.UUID(hex=str(resource.get("out_trade_no")))
    except ValueError:
        raise UnknownSale("no sale has this out_trade_no") from None
    number = str(resource.get("out_refund_no"))
    outcome = wechatpay.REFUND_OUTCOMES[notification.event_type]
    with uow_factory() as uow:
        locked = repository.sale(uow.connection, actor.tenant_id, sale_id, lock=True)
        if locked is None:
            raise UnknownSale("no sale has this out_trade_no")
        refunds = locked.payment.get("refunds", [])
        if not any(r["out_refund_no"] == number for r in refunds):
            raise UnknownRefund("the sale has no refund of this number", out_refund_no=number)
        if any(r["out_refund_no"] == number and r["state"] == outcome for r in refunds):
            return outcome  # told again
        told = [{**r, "state": outcome, "refund_id": resource.get("refund_id") or r.get("refund_id"),
                 "success_time": resource.get("success_time")} if r["out_refund_no"] == number else r
                for r in refunds]
        repository.update_sale(uow.connection, actor.tenant_id, sale_id, payment={**locked.payment, "refunds": told})
        audit.record(uow, actor, audit.Audited(f"store_sale.refund_{outcome}", "store_sale", sale_id,
                                               {"out_refund_no": number}))
        uow.commit()
    return outcome


def call_wechatpay(http: httpx2.Client, merchant: Any, request: Any, what: str, *,
                   allow_private: bool) -> dict[str, Any]:
    """Send a signed WeChat Pay request (a private or loopback target only where the account allows it) and return
    its answer once the platform's signature on it is verified; GatewayFailed naming `what` otherwise."""
    check_target(request.url, allow_private=allow_private)
    try:
        answer = http.request(request.method, request.url, headers=request.headers, content=request.content)
    except httpx2.HTTPError as error:
        raise GatewayFailed(f"WeChat Pay could not be reached: {type(error).__name__}") from None
    if answer.status_code != 200:
        raise GatewayFailed(f"WeChat Pay refused the {what}: HTTP {answer.status_code}", answer=answer.text[:300])
    try:
        wechatpay.verify(merchant, dict(answer.headers), answer.text)
    except SignatureInvalid as error:
        raise GatewayFailed(f"WeChat Pay's answer is not signed by its platform: {error}") from None
    document: dict[str, Any] = answer.json()
    return document
