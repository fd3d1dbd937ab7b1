"""A store sale paid through Alipay, the second gateway behind the same sale (stores.payments.alipay for the wire):
the tenant's Alipay app (its keys sealed), the 当面付 precreate asked outside any transaction (its answer's signature
checked, its QR code kept on the sale for the shopper to scan), and Alipay's notification: verified first — a bad
signature is refused `payments.bad_signature` with nothing written — then applied once, as WeChat Pay's is
(stores.paying.sale_paid). A refund (stores.refunds) is asked here too: `alipay.trade.refund` under the refund's own
number, its signed answer final (Alipay sends no refund notification for it); one left unanswered is looked up
(`alipay.trade.fastpay.refund.query`) before it is sent again."""

import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx2

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.stores import paying, repository
from flexhub.stores.commands import SetAlipay, TakeAlipayPayment
from flexhub.stores.errors import BadSignature, GatewayFailed, NoPaymentAccount, RefundUnanswered
from flexhub.stores.payments import alipay
from flexhub.stores.schemas import AlipayOut

GATEWAY = "alipay"
T = TypeVar("T")


def set_alipay(cmd: SetAlipay, uow_factory: UnitOfWorkFactory, vault: Vault) -> AlipayOut:
    check_target(cmd.gateway, allow_private=cmd.allow_private)
    sealed = vault.seal({"private_key_pem": cmd.private_key_pem, "alipay_public_key_pem": cmd.alipay_public_key_pem})
    with uow_factory() as uow:
        repository.save_alipay(uow.connection, {
            "tenant_id": cmd.actor.tenant_id, "app_id": cmd.app_id, "gateway": cmd.gateway,
            "allow_private": cmd.allow_private, "sealed": sealed, "updated_at": clock.now()})
        audit.record(uow, cmd.actor, audit.Audited("alipay.set", "tenant", cmd.actor.tenant_id,
                                                   {"app_id": cmd.app_id, "gateway": cmd.gateway}))
        uow.commit()
    return AlipayOut(app_id=cmd.app_id, gateway=cmd.gateway)


def app_of(account: Any, vault: Vault) -> alipay.App:
    opened = vault.open(account.sealed)
    return alipay.App(account.app_id, opened["private_key_pem"], opened["alipay_public_key_pem"], account.gateway)


def ask_payment(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, tenant_id: uuid.UUID,
                sale_id: uuid.UUID, *, notify_url: str) -> dict[str, Any]:
    """The precreate for a pending sale: its QR code kept on the sale and answered."""
    with uow_factory(write=False) as uow:
        account = repository.alipay_account(uow.connection, tenant_id)
        sale = repository.sale(uow.connection, tenant_id, sale_id)
    if account is None:
        raise NoPaymentAccount("set up the tenant's Alipay app first")
    app = app_of(account, vault)
    request = alipay.precreate(app, out_trade_no=sale.id.hex, total=sale.total,
                               subject=f"Store sale {sale.id.hex[-8:]}", notify_url=notify_url, now=clock.now())
    check_target(request.url, allow_private=account.allow_private)
    try:
        answer = http.request(request.method, request.url, headers=request.headers, content=request.content)
        document = alipay.read_answer(app, answer.text)
    except httpx2.HTTPError as error:
        raise GatewayFailed(f"Alipay could not be reached: {type(error).__name__}") from None
    except (SignatureInvalid, json.JSONDecodeError) as error:
        raise GatewayFailed(f"Alipay's answer is not signed by it: {error}") from None
    if document.get("code") != alipay.SUCCESS_CODE:
        raise GatewayFailed(f"Alipay refused the precreate: {document.get('sub_code') or document.get('code')}",
                            answer=json.dumps(document, ensure_ascii=False)[:300])
    payment = {"gateway": GATEWAY, "qr_code": document["qr_code"]}
    with uow_factory() as uow:
        repository.update_sale(uow.connection, tenant_id, sale_id, payment=payment)
        uow.commit()
    return payment


def take_payment(cmd: TakeAlipayPayment, uow_factory: UnitOfWorkFactory, vault: Vault,
                 dispatch: Callable[[Any], Any]) -> str:
    """Apply Alipay's notification for the tenant; the sale's state afterwards ("ignored": not a payment)."""
    with uow_factory(write=False) as uow:
        account = repository.alipay_account(uow.connection, cmd.actor.tenant_id)
    if account is None:
        raise BadSignature("no Alipay app here to verify an Alipay notification with")
    try:
        told = alipay.read_notification(app_of(account, vault), cmd.form)
    except SignatureInvalid as error:
        raise BadSignature(str(error)) from None
    except ValueError as error:
        raise BadSignature(f"a notification that cannot be read: {error}") from None
    if told.trade_status not in alipay.PAID:
        return "ignored"
    return paying.sale_paid(cmd.actor, {"out_trade_no": told.out_trade_no, "transaction_id": told.trade_no,
                                        "amount": {"total": told.total, "currency": "CNY"}}, uow_factory, dispatch)


def ask_refund(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, tenant_id: uuid.UUID, sale: Any,
               refund: dict[str, Any], *, again: bool = False) -> dict[str, Any]:
    """`alipay.trade.refund` of the refund's amount under its number (out_refund_no): what the sale keeps of the
    answer once Alipay's signature on it verifies. GatewayFailed when Alipay refused it (nothing was refunded);
    RefundUnanswered when no answer came, or one saying Alipay may yet make it (ask again, under the same number).
    `again`: asked before with no answer, so first looked up (`alipay.trade.fastpay.refund.query`): made, it is
    settled as Alipay answers and nothing is sent."""
    with uow_factory(write=False) as uow:
        account = repository.alipay_account(uow.connection, tenant_id)
    if account is None:
        raise NoPaymentAccount("set up the tenant's Alipay app first")
    app = app_of(account, vault)
    number = refund["out_refund_no"]
    if again:
        query = alipay.refund_query(app, out_trade_no=sale.id.hex, out_request_no=number, now=clock.now())
        found = _asked(http, app, query, number, account.allow_private, _made)
        if found is not None:
            return {"gateway": GATEWAY, "refund_id": found.trade_no, "status": "SUCCESS", "state": "succeeded",
                    "refund_amount": found.refund_amount, "fund_change": False, "refunded_at": found.at}
    request = alipay.refund(app, out_trade_no=sale.id.hex, out_request_no=number, amount=refund["amount"],
                            reason=refund["reason"] or "refund", now=clock.now())
    refunded = _asked(http, app, request, number, account.allow_private, alipay.read_refund)
    return {"gateway": GATEWAY, "refund_id": refunded.trade_no, "status": "SUCCESS", "state": "succeeded",
            "refund_fee": refunded.refund_fee, "fund_change": refunded.fund_change, "refunded_at": refunded.at}


def _made(app: alipay.App, text: str) -> alipay.RefundFound | None:
    """The refund query's answer; a query refused for good (no such trade) finds nothing: the refund itself is
    then asked, and its answer decides."""
    try:
        return alipay.read_refund_query(app, text)
    except alipay.RefundRefused as refused:
        if refused.unknown:
            raise
        return None


def _asked(http: httpx2.Client, app: alipay.App, request: ApiRequest, number: str, allow_private: bool,
           read: Callable[[alipay.App, str], T]) -> T:
    """Alipay's answer to a refund call as `read` reads it. RefundUnanswered when none came, or one saying Alipay
    may yet act; a refusal is GatewayFailed."""
    check_target(request.url, allow_private=allow_private)
    try:
        answer = http.request(request.method, request.url, headers=request.headers, content=request.content)
        return read(app, answer.text)
    except httpx2.HTTPError as error:
        raise RefundUnanswered(f"Alipay did not answer the refund ({type(error).__name__}); ask again: it is sent "
                               f"under the same number {number}", out_refund_no=number) from None
    except (SignatureInvalid, json.JSONDecodeError, ValueError) as error:
        raise RefundUnanswered(f"Alipay's answer to the refund is not signed by it or cannot be read ({error}); ask "
                               f"again: it is sent under the same number {number}", out_refund_no=number) from None
    except alipay.RefundRefused as refused:
        if refused.unknown:
            raise RefundUnanswered(f"Alipay could not say whether it refunded ({refused}); ask again: it is sent "
                                   f"under the same number {number}", out_refund_no=number) from None
        raise GatewayFailed(f"Alipay refused the refund: {refused}", sub_code=refused.sub_code) from None
