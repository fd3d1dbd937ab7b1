"""A store sale's refund asked of WeChat Pay (stores.payments.wechatpay for the wire), outside any transaction.

The refund goes out under its own number (out_refund_no), which WeChat Pay refunds at most once however often it
is asked. An answer that does not come — the connection broke, the answer is not signed by WeChat Pay, it is a
SYSTEM_ERROR (5xx) or FREQUENCY_LIMITED (429) — leaves the refund's fate unknown: RefundUnanswered, and the refund
stays claimed. Asked again, the refund is first looked up by its number (`GET /v3/refund/domestic/refunds/
{out_refund_no}`): found, it is settled as WeChat Pay holds it and nothing is sent; not there (404
RESOURCE_NOT_EXISTS), it is sent again under the same number. Any other refusal (4xx) means nothing was refunded:
GatewayFailed, and the refund is let go."""

import uuid
from typing import Any

import httpx2

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel.errors import FlexhubError
from flexhub.stores import paying, repository
from flexhub.stores.errors import GatewayFailed, NoPaymentAccount, RefundUnanswered
from flexhub.stores.payments import wechatpay

GATEWAY = "wechatpay"
UNKNOWN_FATE = frozenset({429, 500, 502, 503, 504})  # WeChat Pay did not get to say: ask again, same number


def ask_refund(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, tenant_id: uuid.UUID, sale: Any,
               refund: dict[str, Any], *, notify_url: str, again: bool) -> dict[str, Any]:
    """What the sale keeps of WeChat Pay's refund under the refund's number; `again`: the refund was asked before
    with no answer, so it is looked up first."""
    with uow_factory(write=False) as uow:
        account = repository.wechatpay_account(uow.connection, tenant_id)
    if account is None:
        raise NoPaymentAccount("set up the tenant's WeChat Pay merchant account first")
    merchant, number = paying.merchant_of(account, vault), refund["out_refund_no"]
    if again:
        status, found = _call(http, merchant, wechatpay.refund_query(merchant, out_refund_no=number, **paying.stamp()),
                              number, allow_private=account.allow_private)
        if status == 200:
            return _kept(found, number)
        if found.get("code") != wechatpay.NOT_FOUND:
            raise _unanswered(number, f"WeChat Pay could not say whether it took the refund ({found.get('code')})")
    request = wechatpay.refund(merchant, out_trade_no=sale.id.hex, out_refund_no=number, amount=refund["amount"],
                               total=sale.total, reason=refund["reason"] or "refund", notify_url=notify_url,
                               **paying.stamp(), currency=sale.currency)
    status, answer = _call(http, merchant, request, number, allow_private=account.allow_private)
    if status != 200:
        raise GatewayFailed(f"WeChat Pay refused the refund: {answer.get('code') or status}",
                            wechatpay_code=answer.get("code"), answer=str(answer.get("message", ""))[:300])
    return _kept(answer, number)


def _call(http: httpx2.Client, merchant: wechatpay.Merchant, request: ApiRequest, number: str, *,
          allow_private: bool) -> tuple[int, dict[str, Any]]:
    """(HTTP status, answer) of a refund call WeChat Pay answered: a 200 only once its signature verifies.
    RefundUnanswered when no answer came, or none that says what became of the refund."""
    check_target(request.url, allow_private=allow_private)
    try:
        answer = http.request(request.method, request.url, headers=request.headers, content=request.content)
    except httpx2.HTTPError as error:
        raise _unanswered(number, f"WeChat Pay did not answer ({type(error).__name__})") from None
    if answer.status_code in UNKNOWN_FATE:
        raise _unanswered(number, f"WeChat Pay answered HTTP {answer.status_code}")
    try:
        if answer.status_code == 200:
            wechatpay.verify(merchant, dict(answer.headers), answer.text)
        document: dict[str, Any] = answer.json()
    except (SignatureInvalid, ValueError) as error:
        raise _unanswered(number, f"WeChat Pay's answer is not signed by it or cannot be read ({error})") from None
    return answer.status_code, document


def _kept(answer: dict[str, Any], number: str) -> dict[str, Any]:
    """The refund as the sale keeps it; a refund WeChat Pay closed refunded nothing (GatewayFailed)."""
    state = wechatpay.REFUND_STATES.get(str(answer.get("status")), "processing")
    if state == "closed":
        raise GatewayFailed(f"WeChat Pay closed refund {number}: nothing was refunded", wechatpay_code="CLOSED")
    return {"gateway": GATEWAY, "refund_id": answer.get("refund_id"), "status": answer.get("status"),
            "state": state}


def _unanswered(number: str, why: str) -> FlexhubError:
    return RefundUnanswered(f"{why}; ask again: it is looked up, and sent only if WeChat Pay never took it, under "
                            f"the same number {number}", out_refund_no=number)
