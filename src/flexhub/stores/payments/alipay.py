"""Alipay's open platform (支付宝开放平台), as its documentation and official SDKs describe it (sources:
tests/contract/payments/alipay/SOURCES.md): 当面付 `alipay.trade.precreate` (the shopper scans the QR code it
answers), the payment's asynchronous notification, and `alipay.trade.refund` (统一收单交易退款).

A request is a form POSTed to the gateway: the common parameters (app_id, method, format JSON, charset utf-8,
sign_type RSA2, timestamp `yyyy-MM-dd HH:mm:ss` in Beijing time, version 1.0, notify_url) and `biz_content`, the
business parameters as JSON (out_trade_no, total_amount in yuan with two decimals, subject). It is signed RSA2:
every parameter but `sign`, sorted by name, joined `name=value` with `&`, signed SHA256 with RSA (PKCS#1 v1.5) by
the app's private key, Base64, sent as `sign`.

The answer is `{"alipay_trade_precreate_response": {...}, "sign": "..."}`; the signature is Alipay's, by its
public key, over the answer object's text exactly as sent (from its `{` to its `}`). `code` "10000" is success,
with `out_trade_no` and `qr_code`.

The notification is a form POSTed to notify_url (notify_type trade_status_sync, app_id, out_trade_no, trade_no,
trade_status, total_amount, …); its signature covers every parameter but `sign` and `sign_type`, sorted and joined
the same way, verified by Alipay's public key. The hub answers the text `success` once it has kept it (anything
else and Alipay sends it again).

A refund is asked with the same common parameters and `biz_content` {out_trade_no, refund_amount (yuan, two
decimals), out_request_no, refund_reason}. `out_request_no` names the refund request: unique per trade, and the
same number asked again is refunded once — Alipay answers it again with `fund_change` "N" (no money moved by this
call) — so a request whose answer was lost is asked again under its number, never a new one. The answer
`alipay_trade_refund_response`, signed like the precreate's, has code "10000" once the refund is made, with
trade_no, refund_fee (everything refunded on the trade so far) and gmt_refund_pay; any other code is a refusal
(`sub_code`: ACQ.TRADE_NOT_EXIST, ACQ.REASON_TRADE_REFUND_FEE_ERR …), except ACQ.SYSTEM_ERROR and code 20000
(service unavailable), after which the refund's fate is unknown until it is asked again.

Whether a refund request was made is asked with `alipay.trade.fastpay.refund.query` (统一收单交易退款查询): the same
common parameters, `biz_content` {out_trade_no, out_request_no, query_options ["gmt_refund_pay"]}; its answer
`alipay_trade_fastpay_refund_query_response` has code "10000" for a query that went through — which says nothing of
the refund by itself: the refund was made when `refund_status` is REFUND_SUCCESS (with out_request_no,
refund_amount and gmt_refund_pay), and not made (so it may be asked again under the same number) otherwise.

This module builds requests and reads answers; it does no I/O."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, rsa_sha256_base64, rsa_sha256_verifies

GATEWAY = "https://openapi.alipay.com/gateway.do"
PRECREATE = "alipay.trade.precreate"
REFUND = "alipay.trade.refund"
REFUND_QUERY = "alipay.trade.fastpay.refund.query"
REFUND_MADE = "REFUND_SUCCESS"  # the query's refund_status of a refund made; absent: not made
UNKNOWN_OUTCOME = frozenset({"ACQ.SYSTEM_ERROR", "AQC.SYSTEM_ERROR"})  # ask again with the same out_request_no
UNAVAILABLE_CODE = "20000"  # 服务不可用: the gateway did not get to the request's business
SUCCESS_CODE = "10000"
PAID = frozenset({"TRADE_SUCCESS", "TRADE_FINISHED"})  # trade_status of a paid trade (FINISHED: no refund any more)
BEIJING = timezone(timedelta(hours=8))
ACKNOWLEDGED = "success"  # the notification's answer Alipay stops sending on
_ANSWER = re.compile(r'"[a-zA-Z_]+_response"[ \t\n]*:[ \t\n]*\{')
_SIGN_AFTER = re.compile(r'\}[ \t\n]*,[ \t\n]*"sign"[ \t\n]*:[ \t\n]*"')


@dataclass(frozen=True)
class App:
    """An Alipay app as the hub holds it: its id, its RSA2 private key, and Alipay's public key."""

    app_id: str
    private_key_pem: str
    alipay_public_key_pem: str
    gateway: str = GATEWAY


@dataclass(frozen=True)
class Notification:
    out_trade_no: str
    trade_no: str
    trade_status: str
    total: int  # minor units (fen)
    fields: dict[str, str]


@dataclass(frozen=True)
class Refunded:
    """Alipay's answer to a refund request that went through."""

    trade_no: str
    refund_fee: int  # minor units refunded on the trade in all, this request included
    fund_change: bool  # False: this request's number was refunded before, nothing moved now
    at: str  # gmt_refund_pay as Alipay wrote it (Beijing time)


@dataclass(frozen=True)
class RefundFound:
    """Alipay's answer to a refund query of a refund it made."""

    trade_no: str
    out_request_no: str
    refund_amount: int  # minor units refunded under this request number
    at: str  # gmt_refund_pay as Alipay wrote it (Beijing time)


class RefundRefused(Exception):
    """Alipay answered the refund with a refusal (`sub_code`); `unknown`: it may still be made, ask again."""

    def __init__(self, code: str, sub_code: str, message: str) -> None:
        super().__init__(f"{sub_code or code}: {message}")
        self.code, self.sub_code = code, sub_code
        self.unknown = code == UNAVAILABLE_CODE or sub_code in UNKNOWN_OUTCOME


def sign_content(params: Mapping[str, str], *, leave_out: tuple[str, ...] = ("sign",)) -> str:
    """The text an RSA2 signature covers: the parameters but those left out, sorted by name, `name=value` joined
    with `&` (values as they are, not URL-encoded)."""
    return "&".join(f"{name}={params[name]}" for name in sorted(params) if name not in leave_out)


def amount_text(fen: int) -> str:
    """Minor units as Alipay's total_amount: yuan with two decimals."""
    return f"{fen // 100}.{fen % 100:02d}"


def fen_of(text: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if value != value.quantize(Decimal("0.01")) or value < 0:
        raise ValueError(f"not an amount in yuan and fen: {text!r}")
    return int(value * 100)


def precreate(app: App, *, out_trade_no: str, total: int, subject: str, notify_url: str,
              now: datetime) -> ApiRequest:
    """The signed `alipay.trade.precreate` request for a sale of `total` fen."""
    biz = {"out_trade_no": out_trade_no, "total_amount": amount_text(total), "subject": subject[:256]}
    return _signed(app, PRECREATE, biz, now, notify_url=notify_url)


def refund(app: App, *, out_trade_no: str, out_request_no: str, amount: int, reason: str,
           now: datetime) -> ApiRequest:
    """The signed `alipay.trade.refund` request giving back `amount` fen of the trade, under request number
    `out_request_no` (the same number for every time this refund is asked)."""
    biz = {"out_trade_no": out_trade_no, "refund_amount": amount_text(amount), "out_request_no": out_request_no,
           "refund_reason": reason[:256]}
    return _signed(app, REFUND, biz, now)


def read_refund(app: App, text: str) -> Refunded:
    """The refund's answer once Alipay's signature verifies: Refunded, or RefundRefused with Alipay's codes
    (SignatureInvalid for an answer not signed by it, ValueError for a verified one that cannot be read)."""
    answer = read_answer(app, text)
    if answer.get("code") != SUCCESS_CODE:
        raise RefundRefused(str(answer.get("code", "")), str(answer.get("sub_code", "")),
                            str(answer.get("sub_msg") or answer.get("msg") or ""))
    return Refunded(str(answer.get("trade_no", "")), fen_of(str(answer.get("refund_fee", ""))),
                    answer.get("fund_change") == "Y", str(answer.get("gmt_refund_pay", "")))


def refund_query(app: App, *, out_trade_no: str, out_request_no: str, now: datetime) -> ApiRequest:
    """The signed `alipay.trade.fastpay.refund.query` of refund request `out_request_no` on the trade."""
    biz = {"out_trade_no": out_trade_no, "out_request_no": out_request_no, "query_options": ["gmt_refund_pay"]}
    return _signed(app, REFUND_QUERY, biz, now)


def read_refund_query(app: App, text: str) -> RefundFound | None:
    """The refund query's answer once Alipay's signature verifies: RefundFound when the refund was made, None when
    it was not; RefundRefused for a query Alipay refused (SignatureInvalid, ValueError as for `read_refund`)."""
    answer = read_answer(app, text)
    if answer.get("code") != SUCCESS_CODE:
        raise RefundRefused(str(answer.get("code", "")), str(answer.get("sub_code", "")),
                            str(answer.get("sub_msg") or answer.get("msg") or ""))
    if answer.get("refund_status") != REFUND_MADE:
        return None
    return RefundFound(str(answer.get("trade_no", "")), str(answer.get("out_request_no", "")),
                       fen_of(str(answer.get("refund_amount", ""))), str(answer.get("gmt_refund_pay", "")))


def _signed(app: App, method: str, biz: dict[str, Any], now: datetime, **extra: str) -> ApiRequest:
    """A request of `method` with the common parameters, `biz_content` and the RSA2 signature over them all."""
    params = {"app_id": app.app_id, "method": method, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2",
              "timestamp": now.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"), "version": "1.0", **extra,
              "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":"))}
    params["sign"] = rsa_sha256_base64(app.private_key_pem, sign_content(params))
    return ApiRequest("POST", app.gateway,
                      headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
                      content=urlencode(params).encode())


def read_answer(app: App, text: str) -> dict[str, Any]:
    """The answer object once Alipay's signature over its text verifies; SignatureInvalid otherwise."""
    begin, signs = _ANSWER.search(text), list(_SIGN_AFTER.finditer(text))
    sign_at = signs[-1] if signs else None  # the last: a value inside the answer may look like one
    if begin is None or sign_at is None:
        raise SignatureInvalid("the answer is not a signed Alipay answer")
    signed = text[begin.end() - 1:sign_at.start() + 1]
    signature = text[sign_at.end():text.find('"', sign_at.end())]
    if not rsa_sha256_verifies(app.alipay_public_key_pem, signature, signed.encode()):
        raise SignatureInvalid("Alipay's signature on the answer does not verify")
    answer: dict[str, Any] = json.loads(signed)
    return answer


def read_notification(app: App, form: Mapping[str, str]) -> Notification:
    """A payment notification once its signature verifies and it is for this app; SignatureInvalid otherwise
    (ValueError for a verified one that cannot be read)."""
    fields = dict(form)
    signature = fields.get("sign") or ""
    if fields.get("sign_type", "RSA2") != "RSA2" or not rsa_sha256_verifies(
            app.alipay_public_key_pem, signature, sign_content(fields, leave_out=("sign", "sign_type")).encode()):
        raise SignatureInvalid("Alipay's signature on the notification does not verify")
    if fields.get("app_id") != app.app_id:
        raise SignatureInvalid("the notification is for another app")
    return Notification(fields.get("out_trade_no", ""), fields.get("trade_no", ""), fields.get("trade_status", ""),
                        fen_of(fields.get("total_amount", "")), fields)
