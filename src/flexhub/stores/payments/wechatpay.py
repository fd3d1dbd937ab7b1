"""WeChat Pay API v3, as its documentation describes it (sources: tests/contract/payments/wechatpay/SOURCES.md).

Requests are signed by the merchant: the signed message is five lines, each ending in "\\n" — the HTTP method, the
URL's path and query, a Unix timestamp, a random nonce and the JSON body ("" for a GET) — signed SHA256 with RSA
(PKCS#1 v1.5) by the merchant's API certificate key, Base64, sent as `Authorization: WECHATPAY2-SHA256-RSA2048
mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`.

Answers and notifications are signed by WeChat Pay: three lines (`Wechatpay-Timestamp`, `Wechatpay-Nonce`, the body)
signed by the platform certificate named by `Wechatpay-Serial`, the signature in `Wechatpay-Signature`. A
notification's `resource` is AEAD_AES_256_GCM under the merchant's 32-byte APIv3 key: the 12-byte `nonce`, the
`associated_data` as additional data, `ciphertext` Base64 with the 16-byte tag at its end.

A refund (`POST /v3/refund/domestic/refunds`) is refunded at most once per out_refund_no; the refund query by that
number (`GET /v3/refund/domestic/refunds/{out_refund_no}`) answers its `status` (SUCCESS, PROCESSING, ABNORMAL,
CLOSED), or 404 RESOURCE_NOT_EXISTS for a number WeChat Pay never took.

This module builds requests and reads answers; it does no I/O."""

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, rsa_sha256_base64, rsa_sha256_verifies
from flexhub.kernel.errors import ValidationFailed, error_class

SCHEME = "WECHATPAY2-SHA256-RSA2048"
BASE_URL = "https://api.mch.weixin.qq.com"
JSAPI = "/v3/pay/transactions/jsapi"
H5 = "/v3/pay/transactions/h5"
REFUNDS = "/v3/refund/domestic/refunds"
MAX_SKEW_S = 300  # an answer or notification signed more than five minutes away from now is refused
PAID = "TRANSACTION.SUCCESS"
REFUNDED = "REFUND.SUCCESS"
# A refund's notification (its resource: out_trade_no, out_refund_no, refund_id, refund_status, amount.refund)
REFUND_OUTCOMES = {"REFUND.SUCCESS": "succeeded", "REFUND.ABNORMAL": "abnormal", "REFUND.CLOSED": "closed"}
# A refund's `status` as the refund request and the refund query answer it
REFUND_STATES = {"SUCCESS": "succeeded", "PROCESSING": "processing", "ABNORMAL": "abnormal", "CLOSED": "closed"}
NOT_FOUND = "RESOURCE_NOT_EXISTS"  # the query's 404: WeChat Pay has no refund under that number

UnreadableNotification = error_class("payments.unreadable_notification", 400, ValidationFailed)


@dataclass(frozen=True)
class Merchant:
    """A merchant account as the hub holds it (sealed at rest): its ids, its API certificate's key and serial, its
    APIv3 key, and WeChat Pay's platform certificates by serial."""

    mchid: str
    appid: str
    serial_no: str
    private_key_pem: str
    api_v3_key: str
    platform_certificates: dict[str, str] = field(default_factory=dict)
    base_url: str = BASE_URL


def signed_message(*lines: str) -> str:
    """The lines to sign, each ending in a newline, the last one too."""
    return "".join(f"{line}\n" for line in lines)


def authorization(merchant: Merchant, method: str, url: str, body: str, *, timestamp: int, nonce: str) -> str:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    signature = rsa_sha256_base64(merchant.private_key_pem,
                                  signed_message(method.upper(), target, str(timestamp), nonce, body))
    return (f'{SCHEME} mchid="{merchant.mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{merchant.serial_no}"')


def signed_request(merchant: Merchant, method: str, path: str, document: dict[str, Any] | None, *, timestamp: int,
                   nonce: str) -> ApiRequest:
    body = "" if document is None else json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    url = merchant.base_url.rstrip("/") + path
    headers = {"Authorization": authorization(merchant, method, url, body, timestamp=timestamp, nonce=nonce),
               "Accept": "application/json", "Content-Type": "application/json"}
    return ApiRequest(method.upper(), url, headers=headers, content=body.encode() if body else None)


def jsapi_prepay(merchant: Merchant, *, out_trade_no: str, description: str, total: int, openid: str,
                 notify_url: str, timestamp: int, nonce: str, currency: str = "CNY") -> ApiRequest:
    """JSAPI (in WeChat, a mini-program's or official account's page): answered with a `prepay_id`."""
    return signed_request(merchant, "POST", JSAPI, {
        "appid": merchant.appid, "mchid": merchant.mchid, "description": description[:127],
        "out_trade_no": out_trade_no, "notify_url": notify_url,
        "amount": {"total": total, "currency": currency}, "payer": {"openid": openid}},
        timestamp=timestamp, nonce=nonce)


def h5_prepay(merchant: Merchant, *, out_trade_no: str, description: str, total: int, payer_ip: str,
              notify_url: str, timestamp: int, nonce: str, currency: str = "CNY") -> ApiRequest:
    """H5 (a phone browser outside WeChat): answered with an `h5_url` the browser opens."""
    return signed_request(merchant, "POST", H5, {
        "appid": merchant.appid, "mchid": merchant.mchid, "description": description[:127],
        "out_trade_no": out_trade_no, "notify_url": notify_url, "amount": {"total": total, "currency": currency},
        "scene_info": {"payer_client_ip": payer_ip, "h5_info": {"type": "Wap"}}},
        timestamp=timestamp, nonce=nonce)


def refund(merchant: Merchant, *, out_trade_no: str, out_refund_no: str, amount: int, total: int, reason: str,
           notify_url: str, timestamp: int, nonce: str, currency: str = "CNY") -> ApiRequest:
    return signed_request(merchant, "POST", REFUNDS, {
        "out_trade_no": out_trade_no, "out_refund_no": out_refund_no, "reason": reason[:80],
        "notify_url": notify_url, "amount": {"refund": amount, "total": total, "currency": currency}},
        timestamp=timestamp, nonce=nonce)


def refund_query(merchant: Merchant, *, out_refund_no: str, timestamp: int, nonce: str) -> ApiRequest:
    """`GET /v3/refund/domestic/refunds/{out_refund_no}`: the refund WeChat Pay holds under that number (its
    `status`), or 404 RESOURCE_NOT_EXISTS when it never took one."""
    return signed_request(merchant, "GET", f"{REFUNDS}/{quote(out_refund_no, safe='')}", None, timestamp=timestamp,
                          nonce=nonce)


def jsapi_pay_params(merchant: Merchant, prepay_id: str, *, timestamp: int, nonce: str) -> dict[str, str]:
    """What the page hands `wx.requestPayment` / `WeixinJSBridge`: signed by the merchant over four lines."""
    package = f"prepay_id={prepay_id}"
    pay_sign = rsa_sha256_base64(merchant.private_key_pem,
                                 signed_message(merchant.appid, str(timestamp), nonce, package))
    return {"appId": merchant.appid, "timeStamp": str(timestamp), "nonceStr": nonce, "package": package,
            "signType": "RSA", "paySign": pay_sign}


def verify(merchant: Merchant, headers: dict[str, str], body: str, *, now: float | None = None) -> None:
    """An answer or notification signed by WeChat Pay with a platform certificate the merchant holds, within five
    minutes of now; SignatureInvalid otherwise."""
    lowered = {k.lower(): v for k, v in headers.items()}
    serial, signature = lowered.get("wechatpay-serial", ""), lowered.get("wechatpay-signature", "")
    timestamp, nonce = lowered.get("wechatpay-timestamp", ""), lowered.get("wechatpay-nonce", "")
    certificate = merchant.platform_certificates.get(serial)
    if certificate is None or not signature or not nonce or not timestamp.isdigit():
        raise SignatureInvalid("not signed by a WeChat Pay platform certificate this merchant holds")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW_S:
        raise SignatureInvalid("signed more than five minutes from now")
    if not rsa_sha256_verifies(certificate, signature, signed_message(timestamp, nonce, body)):
        raise SignatureInvalid("the WeChat Pay signature does not verify")


@dataclass(frozen=True)
class Notification:
    id: str
    event_type: str  # TRANSACTION.SUCCESS, REFUND.SUCCESS, ...
    resource: dict[str, Any]  # decrypted: a transaction or a refund


def read_notification(merchant: Merchant, headers: dict[str, str], body: str, *,
                      now: float | None = None) -> Notification:
    """The notification verified, then its resource decrypted; SignatureInvalid or UnreadableNotification."""
    verify(merchant, headers, body, now=now)
    try:
        document = json.loads(body)
        resource = document["resource"]
        if resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise UnreadableNotification(f"unknown algorithm {resource.get('algorithm')}")
        plain = decrypt(merchant.api_v3_key, resource["nonce"], resource["ciphertext"],
                        resource.get("associated_data") or "")
        return Notification(str(document["id"]), str(document["event_type"]), json.loads(plain))
    except (KeyError, TypeError, ValueError, InvalidTag) as error:
        raise UnreadableNotification(f"the notification cannot be read: {type(error).__name__}") from None


def decrypt(api_v3_key: str, nonce: str, ciphertext: str, associated_data: str) -> str:
    return AESGCM(api_v3_key.encode()).decrypt(nonce.encode(), base64.b64decode(ciphertext),
                                               associated_data.encode()).decode()


def encrypt(api_v3_key: str, nonce: str, plaintext: str, associated_data: str) -> str:
    """WeChat Pay's side of `decrypt` (the sandbox and the test vectors)."""
    return base64.b64encode(AESGCM(api_v3_key.encode()).encrypt(nonce.encode(), plaintext.encode(),
                                                                associated_data.encode())).decode()


def platform_headers(platform_key_pem: str, serial: str, body: str, *, timestamp: int,
                     nonce: str) -> dict[str, str]:
    """WeChat Pay's signature headers on an answer or notification (the sandbox and the test vectors)."""
    signature = rsa_sha256_base64(platform_key_pem, signed_message(str(timestamp), nonce, body))
    return {"Wechatpay-Serial": serial, "Wechatpay-Signature": signature, "Wechatpay-Timestamp": str(timestamp),
            "Wechatpay-Nonce": nonce, "Wechatpay-Signature-Type": SCHEME}


def parse_authorization(header: str) -> dict[str, str]:
    """The fields of a merchant's Authorization header (WeChat Pay's side: the sandbox checks requests with it)."""
    scheme, _, rest = header.partition(" ")
    if scheme != SCHEME:
        raise SignatureInvalid(f"the Authorization scheme is not {SCHEME}")
    fields = {}
    for part in rest.split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value.strip('"')
    return fields
