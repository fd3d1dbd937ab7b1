"""WeChat Pay's side, offline (the demo and tests): it checks a merchant's signed requests with the merchant's
certificate, answers prepay and refund requests signed with its own platform key, and when the payer pays (or a
refund reaches them) makes the notification — signed, its resource encrypted with the merchant's APIv3 key — for
the caller to post to the request's notify_url. The keys are made when it starts; `credentials()` is what the
hub's merchant account holds.

It refunds once per out_refund_no (the same number asked again answers the same refund and moves nothing more) and
answers the refund query by that number (404 RESOURCE_NOT_EXISTS for a number it never took). As a network would,
`lose_requests` drops that many refund requests before they arrive (nothing refunded) and `lose_answers` refunds and
then drops that many answers; either way the caller sees a broken connection. `calls` lists every API call taken
(method and path).

Wire formats as flexhub.stores.payments.wechatpay reads them (sources: tests/contract/payments/wechatpay)."""

import datetime
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request, Response

from flexhub.integrations.signing import SignatureInvalid, rsa_sha256_verifies
from flexhub.stores.payments import wechatpay

BASE_URL = "http://wechatpay.sandbox.invalid"


@dataclass
class Trade:
    out_trade_no: str
    total: int
    currency: str
    notify_url: str
    openid: str | None
    prepay_id: str
    state: str = "NOTPAY"
    transaction_id: str | None = None
    refunded: int = 0


@dataclass
class SandboxWechatPay:
    mchid: str = "1900009191"
    appid: str = "wxsandbox00000001"
    api_v3_key: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 characters
    clock: Callable[[], float] = time.time
    trades: dict[str, Trade] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)  # out_refund_no → the refund as answered
    lose_requests: int = 0  # refund requests lost on the way there: nothing refunded
    lose_answers: int = 0  # refunds made whose answers are lost on the way back
    calls: list[str] = field(default_factory=list)  # "METHOD /path" of every call taken

    def __post_init__(self) -> None:
        self.merchant_key, self.merchant_cert, self.merchant_serial = _key_and_certificate("sandbox merchant")
        self.platform_key, self.platform_cert, self.platform_serial = _key_and_certificate("sandbox WeChat Pay")
        self._lock = threading.Lock()

    def credentials(self, base_url: str = BASE_URL) -> dict[str, Any]:
        """The merchant account as the hub is configured with it."""
        return {"mchid": self.mchid, "appid": self.appid, "serial_no": self.merchant_serial,
                "private_key_pem": self.merchant_key, "api_v3_key": self.api_v3_key,
                "platform_certificates": {self.platform_serial: self.platform_cert}, "base_url": base_url}

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        """One API call (an httpx2 MockTransport handler, or the sandbox server's)."""
        body = request.content.decode()
        path = urlsplit(str(request.url)).path
        if not self._signed_by_merchant(request.method, str(request.url), request.headers.get("authorization", ""),
                                        body):
            return self._answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
        document = json.loads(body) if body else {}
        self.calls.append(f"{request.method} {path}")
        if request.method == "POST" and path in (wechatpay.JSAPI, wechatpay.H5):
            return self._prepay(path, document)
        if request.method == "POST" and path == wechatpay.REFUNDS:
            return self._lossy(request, lambda: self._refund(document))
        if request.method == "GET" and path.startswith(f"{wechatpay.REFUNDS}/"):
            return self._refund_found(unquote(path.removeprefix(f"{wechatpay.REFUNDS}/")))
        return self._answer(404, {"code": "NOT_FOUND", "message": "no such API in the sandbox"})

    def _lossy(self, request: httpx2.Request, take: Callable[[], httpx2.Response]) -> httpx2.Response:
        """The call lost on the way there (not taken), or taken and its answer lost on the way back."""
        if self.lose_requests:
            self.lose_requests -= 1
            raise httpx2.ConnectError("the request was lost on the way", request=request)
        answer = take()
        if self.lose_answers and answer.status_code == 200:
            self.lose_answers -= 1
            raise httpx2.ReadError("the answer was lost on the way back", request=request)
        return answer

    def _refund_found(self, out_refund_no: str) -> httpx2.Response:
        """查询单笔退款（通过商户退款单号）: the refund as it stands now, or 404 RESOURCE_NOT_EXISTS."""
        with self._lock:
            known = self.refunds.get(out_refund_no)
        if known is None:
            return self._answer(404, {"code": wechatpay.NOT_FOUND, "message": "退款单不存在"})
        return self._answer(200, {**known["answer"], "status": known.get("status", known["answer"]["status"])})

    def pay(self, out_trade_no: str) -> tuple[str, dict[str, str], str]:
        """The payer pays: (notify_url, headers, body) of the TRANSACTION.SUCCESS notification."""
        with self._lock:
            trade = self.trades[out_trade_no]
            trade.state = "SUCCESS"
            trade.transaction_id = trade.transaction_id or f"4200{secrets.randbelow(10**24):024d}"
        resource = {"mchid": self.mchid, "appid": self.appid, "out_trade_no": trade.out_trade_no,
                    "transaction_id": trade.transaction_id, "trade_type": "JSAPI" if trade.openid else "MWEB",
                    "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS", "attach": "",
                    "success_time": self._now_text(), "payer": {"openid": trade.openid or ""},
                    "amount": {"total": trade.total, "payer_total": trade.total, "currency": trade.currency,
                               "payer_currency": trade.currency}}
        headers, body = self.notification(wechatpay.PAID, "transaction", resource, summary="支付成功")
        return trade.notify_url, headers, body

    def notification(self, event_type: str, original_type: str, resource: dict[str, Any],
                     summary: str = "") -> tuple[dict[str, str], str]:
        nonce = secrets.token_hex(6)  # 12 characters: AES-GCM's 12-byte nonce
        plain = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        body = json.dumps({
            "id": f"EV-{secrets.token_hex(8)}", "create_time": self._now_text(), "resource_type": "encrypt-resource",
            "event_type": event_type, "summary": summary,
            "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": wechatpay.encrypt(self.api_v3_key, nonce, plain, original_type),
                         "associated_data": original_type, "nonce": nonce}}, ensure_ascii=False)
        return self._signed_headers(body), body

    def _prepay(self, path: str, document: dict[str, Any]) -> httpx2.Response:
        if document.get("mchid") != self.mchid or document.get("appid") != self.appid:
            return self._answer(400, {"code": "PARAM_ERROR", "message": "mchid and appid do not match"})
        number = document["out_trade_no"]
        with self._lock:
            trade = self.trades.get(number)
            if trade is not None and trade.state == "SUCCESS":
                return self._answer(400, {"code": "ORDERPAID", "message": "该订单已支付"})
            if trade is None:
                trade = self.trades[number] = Trade(
                    number, document["amount"]["total"], document["amount"].get("currency", "CNY"),
                    document["notify_url"], (document.get("payer") or {}).get("openid"),
                    f"wx{secrets.token_hex(16)}")
        if path == wechatpay.H5:
            return self._answer(200, {"h5_url": f"{BASE_URL}/h5pay?prepay_id={trade.prepay_id}"})
        return self._answer(200, {"prepay_id": trade.prepay_id})

    def _refund(self, document: dict[str, Any]) -> httpx2.Response:
        trade = self.trades.get(document.get("out_trade_no", ""))
        amount = document["amount"]["refund"]
        with self._lock:
            known = self.refunds.get(document["out_refund_no"])
            if known is not None:  # asked again with the same number: the same refund, not a second one
                return self._answer(200, known["answer"])
            if trade is None or trade.state != "SUCCESS" or trade.refunded + amount > trade.total:
                return self._answer(400, {"code": "INVALID_REQUEST", "message": "nothing to refund"})
            trade.refunded += amount
            answer = {
                "refund_id": f"5030{secrets.randbelow(10**24):024d}", "out_refund_no": document["out_refund_no"],
                "transaction_id": trade.transaction_id, "out_trade_no": trade.out_trade_no, "channel": "ORIGINAL",
                "user_received_account": "支付用户零钱", "create_time": self._now_text(), "status": "PROCESSING",
                "amount": {"total": trade.total, "refund": amount, "payer_total": trade.total,
                           "payer_refund": amount, "currency": trade.currency}}
            self.refunds[document["out_refund_no"]] = {"answer": answer, "notify_url": document.get("notify_url")}
        return self._answer(200, answer)

    def refund_done(self, out_refund_no: str) -> tuple[str, dict[str, str], str]:
        """The money reached the payer: (notify_url, headers, body) of the REFUND.SUCCESS notification."""
        refund = self.refunds[out_refund_no]
        refund["status"] = "SUCCESS"
        answer = refund["answer"]
        resource = {"mchid": self.mchid, "out_trade_no": answer["out_trade_no"],
                    "transaction_id": answer["transaction_id"], "out_refund_no": out_refund_no,
                    "refund_id": answer["refund_id"], "refund_status": "SUCCESS", "success_time": self._now_text(),
                    "user_received_account": answer["user_received_account"],
                    "amount": {k: answer["amount"][k] for k in ("total", "refund", "payer_total", "payer_refund")}}
        headers, body = self.notification(wechatpay.REFUNDED, "refund", resource, summary="退款成功")
        return refund["notify_url"], headers, body

    def _signed_by_merchant(self, method: str, url: str, authorization: str, body: str) -> bool:
        try:
            fields = wechatpay.parse_authorization(authorization)
        except SignatureInvalid:  # any other scheme is a signature error to WeChat Pay
            return False
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        message = wechatpay.signed_message(method, target, fields.get("timestamp", ""), fields.get("nonce_str", ""),
                                           body)
        return (fields.get("mchid") == self.mchid and fields.get("serial_no") == self.merchant_serial
                and rsa_sha256_verifies(self.merchant_cert, fields.get("signature", ""), message))

    def _answer(self, status: int, document: dict[str, Any]) -> httpx2.Response:
        body = json.dumps(document, ensure_ascii=False)
        return httpx2.Response(status, headers={"Content-Type": "application/json", **self._signed_headers(body)},
                               content=body.encode())

    def _signed_headers(self, body: str) -> dict[str, str]:
        return wechatpay.platform_headers(self.platform_key, self.platform_serial, body,
                                          timestamp=int(self.clock()), nonce=secrets.token_hex(16))

    def _now_text(self) -> str:
        tz = datetime.timezone(datetime.timedelta(hours=8))
        return datetime.datetime.fromtimestamp(self.clock(), tz).isoformat(timespec="seconds")


def _key_and_certificate(common_name: str) -> tuple[str, str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start)
                   .not_valid_after(start + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, certificate.public_bytes(serialization.Encoding.PEM).decode(), format(certificate.serial_number, "X")


def create_app(sandbox: SandboxWechatPay) -> FastAPI:
    """The sandbox served over HTTP (the demo): every API call handed to `sandbox.handle` as it came."""
    app = FastAPI(title="flexhub sandbox WeChat Pay", docs_url=None, openapi_url=None)

    @app.api_route("/v3/{path:path}", methods=["GET", "POST"])
    async def api(request: Request) -> Response:
        body = await request.body()
        answer = sandbox.handle(httpx2.Request(request.method, str(request.url), headers=dict(request.headers),
                                               content=body))
        return Response(answer.content, status_code=answer.status_code, headers=dict(answer.headers))

    return app
