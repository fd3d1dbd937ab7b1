"""`kuaidi100`: Kuaidi100 (快递100), tracking for any Chinese carrier by poll and push, no waybills.

For carriers whose own API we do not hold (or do not push), one Kuaidi100 account tracks them all;
the account's `company` credential is Kuaidi100's code of the carrier it tracks (shunfeng, zhongtong,
jd, yuantong, ...). Query: a form POST to /poll/query.do with customer, param (JSON: com, num,
phone, resultv2=4 for sub-states) and sign = uppercase MD5(param + key + customer). Push (after a
/poll subscription with a salt): a form POST with param (JSON: status, message, lastResult = a query
answer) and sign = uppercase MD5(param + salt), answered {"result": true, "returnCode": "200"}.
"""

import json
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

from flexhub.integrations.signing import md5_hex, same
from flexhub.shipping.carrier import (
    ApiRequest,
    Quote,
    RateLimit,
    Shipment,
    SignatureInvalid,
    TrackingEvent,
    Waybill,
    form_fields,
    oldest_first,
)
from flexhub.shipping.carriers.china import china_time
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported

PRODUCTION = "https://poll.kuaidi100.com"
FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}
# Kuaidi100's state (0-14) and, with resultv2=4, its sub-states (101, 1001, 301, ...).
STATES = {
    **dict.fromkeys(("101", "102"), "info_received"),  # 已下单, 待揽收
    **dict.fromkeys(("1", "103"), "picked_up"),  # 揽收
    **dict.fromkeys(("0", "1001", "1002", "1003", "7", "8", "10", "11", "12"), "in_transit"),  # 在途, 转投, 清关
    **dict.fromkeys(("5", "501"), "out_for_delivery"),  # 派件, 投柜或驿站
    **dict.fromkeys(("3", "301", "302", "303", "304"), "delivered"),  # 签收
    **dict.fromkeys(("204", "206"), "failed_attempt"),  # 派件异常, 无法联系
    **dict.fromkeys(("2", "13", "201", "202", "205", "207", "208", "209", "210"), "exception"),  # 疑难
    **dict.fromkeys(("4", "6", "14", "203", "401"), "returned"),  # 退签, 退回, 拒签
}


class Kuaidi100Carrier:
    carrier: ClassVar[str] = "kuaidi100"
    credential_fields: ClassVar[tuple[str, ...]] = ("customer", "key", "salt", "company")
    # Kuaidi100 asks that one number be polled at most every 30 minutes; it publishes no account-wide rate.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    capabilities: ClassVar[frozenset[str]] = frozenset({"tracking", "push"})
    push_ack: ClassVar[bytes] = '{"result":true,"returnCode":"200","message":"成功"}'.encode()

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        raise CarrierUnsupported("Kuaidi100 only tracks", carrier=self.carrier)

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        raise CarrierUnsupported("Kuaidi100 only tracks", carrier=self.carrier)

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        raise CarrierUnsupported("Kuaidi100 only tracks", carrier=self.carrier)

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        raise CarrierUnsupported("Kuaidi100 only tracks", carrier=self.carrier)

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        param = json.dumps({"com": credentials["company"], "num": waybill_number, "phone": phone or "",
                            "resultv2": "4"}, separators=(",", ":"), ensure_ascii=False)
        form = {"customer": credentials["customer"], "sign": query_sign(param, credentials["key"],
                                                                        credentials["customer"]), "param": param}
        base = (credentials.get("base_url") or PRODUCTION).rstrip("/")
        return ApiRequest("POST", f"{base}/poll/query.do", headers=dict(FORM), content=urlencode(form).encode())

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        if payload.get("result") is False or str(payload.get("status", "200")) != "200":
            raise CarrierRefused(f"Kuaidi100 answered {payload.get('returnCode')}: {payload.get('message')}",
                                 carrier=self.carrier, code=payload.get("returnCode"))
        number = payload.get("nu") or waybill_number
        return oldest_first([_event(number, item) for item in payload.get("data") or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        fields = form_fields(body)
        param = fields.get("param")
        if param is None or not same(push_sign(param, credentials["salt"]), fields.get("sign")):
            raise SignatureInvalid("the push's sign does not match its param")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        pushed = json.loads(form_fields(body)["param"])
        return self.parse_tracking(pushed.get("lastResult") or {}, "")


def query_sign(param: str, key: str, customer: str) -> str:
    return md5_hex(param + key + customer).upper()


def push_sign(param: str, salt: str) -> str:
    return md5_hex(param + salt).upper()


def _event(number: str, item: Mapping[str, Any]) -> TrackingEvent:
    code = str(item.get("statusCode") or "")
    state = STATES.get(code, "in_transit")
    return TrackingEvent(waybill_number=number, state=state, at=china_time(item.get("ftime") or item["time"]),
                         carrier_code=code or item.get("status") or "", description=item.get("context") or "",
                         location=item.get("location") or item.get("areaName") or "")
