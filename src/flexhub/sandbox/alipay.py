"""Alipay's side, offline (tests and the demo): its gateway checks an app's RSA2-signed `alipay.trade.precreate`
with the app's public key and answers the QR code, signed with its own key; when the shopper pays, it makes the
payment notification (a form signed with its key) for the caller to post to the request's notify_url. It refunds a
paid trade (`alipay.trade.refund`) once per `out_request_no` — the same number asked again answers `fund_change`
"N" and moves nothing — and never past what was paid — and answers `alipay.trade.fastpay.refund.query` for a request
number (refund_status REFUND_SUCCESS once refunded, no refund fields before). As a network would, `lose_requests`
drops that many refund requests before they arrive (nothing refunded) and `lose_answers` refunds and then drops that
many answers; either way the caller sees a broken connection. `calls` lists the methods asked, in order. The keys
are made when it starts; `credentials()` is what the hub's Alipay app holds.

Wire formats as flexhub.stores.payments.alipay reads them (sources: tests/contract/payments/alipay)."""

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from flexhub.integrations.signing import rsa_sha256_base64, rsa_sha256_verifies
from flexhub.stores.payments import alipay

GATEWAY = "http://alipay.sandbox.invalid/gateway.do"
REFUND_ANSWER = "alipay_trade_refund_response"
REFUND_QUERY_ANSWER = "alipay_trade_fastpay_refund_query_response"


@dataclass
class Trade:
    out_trade_no: str
    total_amount: str
    subject: str
    notify_url: str
    trade_no: str
    qr_code: str
    paid: bool = False
    refunds: dict[str, int] = field(default_factory=dict)  # out_request_no → fen refunded under it

    def refunded(self) -> int:
        return sum(self.refunds.values())


@dataclass
class SandboxAlipay:
    app_id: str = "2021000000000001"
    app_key: str = field(default_factory=lambda: _key())
    alipay_key: str = field(default_factory=lambda: _key())
    trades: dict[str, Trade] = field(default_factory=dict)
    lose_answers: int = 0  # refunds whose answers are lost on the way back
    lose_requests: int = 0  # refund requests lost on the way there: nothing refunded
    calls: list[str] = field(default_factory=list)  # the method of every call taken

    def credentials(self, gateway: str = GATEWAY) -> dict[str, Any]:
        return {"app_id": self.app_id, "private_key_pem": self.app_key,
                "alipay_public_key_pem": _public(self.alipay_key), "gateway": gateway}

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        params = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
        if not rsa_sha256_verifies(_public(self.app_key), params.get("sign", ""),
                                   alipay.sign_content(params).encode()) or params.get("app_id") != self.app_id:
            return self._answer("error_response", {"code": "40002", "msg": "Invalid Arguments",
                                                   "sub_code": "isv.invalid-signature", "sub_msg": "验签出错"})
        self.calls.append(params.get("method", ""))
        if params.get("method") == alipay.REFUND:
            if self.lose_requests:
                self.lose_requests -= 1
                raise httpx2.ConnectError("the request was lost on the way", request=request)
            return self._refund(json.loads(params.get("biz_content") or "{}"), request)
        if params.get("method") == alipay.REFUND_QUERY:
            return self._refund_found(json.loads(params.get("biz_content") or "{}"))
        if params.get("method") != alipay.PRECREATE:
            return self._answer("error_response", {"code": "40004", "msg": "Business Failed",
                                                   "sub_code": "isv.invalid-method", "sub_msg": "不存在的方法名"})
        biz = json.loads(params.get("biz_content") or "{}")
        number = str(biz.get("out_trade_no", ""))
        trade = self.trades.get(number)
        if trade is None:
            token = secrets.token_hex(8)
            trade = self.trades[number] = Trade(number, str(biz.get("total_amount")), str(biz.get("subject")),
                                                params.get("notify_url", ""), f"2026{secrets.token_hex(12)}",
                                                f"https://qr.alipay.sandbox.invalid/{token}")
        elif trade.paid:
            return self._answer("alipay_trade_precreate_response", {
                "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_HAS_SUCCESS",
                "sub_msg": "交易已被支付", "out_trade_no": number})
        return self._answer("alipay_trade_precreate_response", {
            "code": alipay.SUCCESS_CODE, "msg": "Success", "out_trade_no": number, "qr_code": trade.qr_code})

    def pay(self, out_trade_no: str, *, spoil: bool = False) -> tuple[str, dict[str, str]]:
        """The shopper paid: the notification Alipay posts to the trade's notify_url (spoiled: the amount changed
        after signing)."""
        trade = self.trades[out_trade_no]
        trade.paid = True
        now = datetime.now(UTC).astimezone(alipay.BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        form = {"notify_time": now, "notify_type": "trade_status_sync", "notify_id": secrets.token_hex(16),
                "app_id": self.app_id, "charset": "utf-8", "version": "1.0", "trade_no": trade.trade_no,
                "out_trade_no": trade.out_trade_no, "trade_status": "TRADE_SUCCESS",
                "total_amount": trade.total_amount, "receipt_amount": trade.total_amount, "subject": trade.subject,
                "gmt_payment": now, "buyer_id": "2088102177846880"}
        form["sign"] = rsa_sha256_base64(self.alipay_key, alipay.sign_content(form, leave_out=("sign", "sign_type")))
        form["sign_type"] = "RSA2"
        if spoil:
            form["total_amount"] = "0.01"
        return trade.notify_url, form

    def _refund(self, biz: dict[str, Any], request: httpx2.Request) -> httpx2.Response:
        trade = self.trades.get(str(biz.get("out_trade_no", "")))
        number, amount = str(biz.get("out_request_no") or biz.get("out_trade_no", "")), str(biz.get("refund_amount"))
        refused = {"code": "40004", "msg": "Business Failed", "out_trade_no": biz.get("out_trade_no"),
                   "refund_fee": "0.00", "send_back_fee": "0.00"}
        if trade is None:
            return self._answer(REFUND_ANSWER, {**refused, "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"})
        if not trade.paid:
            return self._answer(REFUND_ANSWER, {**refused, "sub_code": "ACQ.TRADE_STATUS_ERROR",
                                                "sub_msg": "交易状态不合法"})
        fen = alipay.fen_of(amount)
        repeated = number in trade.refunds
        if repeated and trade.refunds[number] != fen:
            return self._answer(REFUND_ANSWER, {**refused, "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
                                                "sub_msg": "退款金额与原退款请求不一致"})
        if not repeated and (fen <= 0 or trade.refunded() + fen > alipay.fen_of(trade.total_amount)):
            return self._answer(REFUND_ANSWER, {**refused, "sub_code": "ACQ.REASON_TRADE_REFUND_FEE_ERR",
                                                "sub_msg": "退款金额无效"})
        trade.refunds[number] = fen
        if self.lose_answers:
            self.lose_answers -= 1
            raise httpx2.ReadError("the answer was lost on the way back", request=request)
        now = datetime.now(UTC).astimezone(alipay.BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        return self._answer(REFUND_ANSWER, {
            "code": alipay.SUCCESS_CODE, "msg": "Success", "trade_no": trade.trade_no, "out_trade_no":
            trade.out_trade_no, "buyer_logon_id": "159****5620", "fund_change": "N" if repeated else "Y",
            "refund_fee": alipay.amount_text(trade.refunded()), "gmt_refund_pay": now,
            "buyer_user_id": "2088102177846880", "send_back_fee": "0.00"})

    def _refund_found(self, biz: dict[str, Any]) -> httpx2.Response:
        """统一收单交易退款查询: the refund made under the request number, or a query answered with no refund in it."""
        trade = self.trades.get(str(biz.get("out_trade_no", "")))
        if trade is None:
            return self._answer(REFUND_QUERY_ANSWER, {"code": "40004", "msg": "Business Failed",
                                                      "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"})
        number = str(biz.get("out_request_no", ""))
        found = {"code": alipay.SUCCESS_CODE, "msg": "Success", "trade_no": trade.trade_no,
                 "out_trade_no": trade.out_trade_no}
        if number in trade.refunds:
            now = datetime.now(UTC).astimezone(alipay.BEIJING).strftime("%Y-%m-%d %H:%M:%S")
            found |= {"out_request_no": number, "total_amount": trade.total_amount,
                      "refund_amount": alipay.amount_text(trade.refunds[number]), "refund_status": alipay.REFUND_MADE,
                      "gmt_refund_pay": now}
        return self._answer(REFUND_QUERY_ANSWER, found)

    def _answer(self, name: str, document: dict[str, Any]) -> httpx2.Response:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        body = f'{{"{name}":{text},"sign":"{rsa_sha256_base64(self.alipay_key, text)}"}}'
        return httpx2.Response(200, headers={"Content-Type": "application/json;charset=utf-8"},
                               content=body.encode())


def _key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _public(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()
