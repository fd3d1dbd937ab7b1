"""`zto`: ZTO Express's open platform (open.zto.com), domestic express.

Every call is a JSON POST to `{base}/{api name}` with headers x-appKey and x-dataDigest =
base64(md5(body + appSecret)) over the exact body bytes sent; answers are {"status": true,
"statusCode": ..., "message": ..., "result": ...}.

Waybill: zto.open.createOrder (partnerType 2 = an e-waybill account, orderType 1 = 全网件); the
answer's result carries billCode (the waybill), orderCode and bigMarkInfo.mark (大头笔, the sort
code printed on the label). No label comes back (ZTO prints through cloud print): ours is drawn.
Tracking: zto.merchant.waybill.track.query {billCode, mobilePhone = last 4 digits}; scans carry a
Chinese scanType (收件, 发件, 到件, 派件, 签收, 第三方签收, 退件, 退件签收, 问题件).
Quotes: zto.open.obtainPicePrescription {sender, addresser, weight} -> {price, hour}; its field names
come from third-party integrations, not from a ZTO page we could read (see the contract test).
Push (subscribed with zto.merchant.waybill.track.subsrcibe): a form POST with data (one scan as
JSON, `action` codes GOT, DEPARTURE, ARRIVAL, INBOUND, DISPATCH, SIGNED, ...), company_id (our app
key), msg_type=Traces and data_digest, checked as base64(md5(data + appSecret)) like every ZTO digest.
"""

import json
import math
from collections.abc import Mapping
from typing import Any, ClassVar

from flexhub.integrations.signing import md5_base64, same
from flexhub.kernel.money import Money, to_minor
from flexhub.shipping.carrier import (
    Address,
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
from flexhub.shipping.errors import CarrierRefused

PRODUCTION = "https://japi.zto.com"
SANDBOX = "https://japi-test.zto.com"
CURRENCY = "CNY"

SCAN_TYPES = {
    "收件": "picked_up", "发件": "in_transit", "到件": "in_transit", "派件": "out_for_delivery",
    "签收": "delivered", "第三方签收": "delivered", "退件": "returned", "退件签收": "returned", "问题件": "exception",
}
# Push `action` codes as ZTO's pushes show them (descriptions in the contract test's samples).
ACTIONS = {
    "GOT": "picked_up", "DEPARTURE": "in_transit", "ARRIVAL": "in_transit",
    "INBOUND": "out_for_delivery",  # held by a pickup point (驿站) for the buyer
    "DISPATCH": "out_for_delivery", "SIGNED": "delivered", "DEPARTURE_SIGNED": "delivered",
    "HANDOVERSCAN_SIGNED": "delivered", "RETURN_SCAN": "returned", "RETURN_SIGNED": "returned",
    "PROBLEM": "exception",
}


class ZtoCarrier:
    carrier: ClassVar[str] = "zto"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "account_id", "account_password")
    # ZTO meters each API per app (S206 "api qos limit", S221 flow control) without publishing a figure.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    capabilities: ClassVar[frozenset[str]] = frozenset({"rates", "waybill", "tracking", "push"})
    push_ack: ClassVar[bytes] = b'{"status":true,"statusCode":"0000","message":"success"}'

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        return signed_request(credentials, "zto.open.obtainPicePrescription", {
            "sender": _area(shipment.sender), "addresser": _area(shipment.recipient),
            "weight": shipment.weight_g / 1000})

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        result = _result(payload) or {}
        hours = result.get("hour")
        price = Money(to_minor(result["price"], CURRENCY), CURRENCY)
        days = math.ceil(float(hours) / 24) if hours not in (None, "") else None
        return [Quote(service="standard", service_name="中通标快", price=price, promised_days=days)]

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        return signed_request(credentials, "zto.open.createOrder", order_body(credentials, shipment))

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        result = _result(payload) or {}
        if not result.get("billCode"):
            raise CarrierRefused("ZTO answered without a billCode", carrier="zto")
        return Waybill(number=result["billCode"], carrier_order_id=result.get("orderCode"),
                       routing_code=(result.get("bigMarkInfo") or {}).get("mark"))

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        query = {"billCode": waybill_number} | ({"mobilePhone": phone[-4:]} if phone else {})
        return signed_request(credentials, "zto.merchant.waybill.track.query", query)

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        return oldest_first([_scan(scan, waybill_number) for scan in _result(payload) or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        fields = form_fields(body)
        data, digest = fields.get("data"), fields.get("data_digest")
        if data is None or fields.get("company_id") != credentials["app_key"]:
            raise SignatureInvalid("a ZTO push names our app key as company_id and carries data")
        if not same(md5_base64(data + credentials["app_secret"]), digest):
            raise SignatureInvalid("data_digest does not match the data")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        scan = json.loads(form_fields(body)["data"])
        scans = scan if isinstance(scan, list) else [scan]
        return oldest_first([_pushed(item) for item in scans])


def signed_request(credentials: Mapping[str, str], api_name: str, body: Mapping[str, Any]) -> ApiRequest:
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    headers = {"Content-Type": "application/json; charset=UTF-8", "x-appKey": credentials["app_key"],
               "x-dataDigest": md5_base64(content + credentials["app_secret"])}
    base = (credentials.get("base_url") or PRODUCTION).rstrip("/")
    return ApiRequest("POST", f"{base}/{api_name}", headers=headers, content=content.encode())


def order_body(credentials: Mapping[str, str], shipment: Shipment) -> dict[str, Any]:
    body: dict[str, Any] = {
        "partnerType": "2", "orderType": "1", "partnerOrderCode": shipment.reference,
        "accountInfo": {"accountId": credentials["account_id"], "accountPassword": credentials["account_password"],
                        "type": 1},
        "senderInfo": _person("sender", shipment.sender), "receiveInfo": _person("receiver", shipment.recipient),
        "summaryInfo": {"quantity": len(shipment.parcels)},
        "orderItems": [{"name": parcel.description or shipment.contents, "weight": parcel.weight_g, "quantity": 1}
                       for parcel in shipment.parcels],
    }
    # Value-added services in fen, as ZTO's createOrder sample gives COD (vasAmount 100000 = 1,000 yuan).
    services = [{"vasType": kind, "vasAmount": money.amount} for kind, money in
                (("COD", shipment.cod), ("INSURED", shipment.insurance)) if money is not None]
    return body | {"orderVasList": services} if services else body


def _person(role: str, address: Address) -> dict[str, str]:
    person = {f"{role}Name": address.name, f"{role}Mobile": address.phone, f"{role}Province": address.province,
              f"{role}City": address.city, f"{role}District": address.district, f"{role}Address": address.street()}
    return {key: value for key, value in person.items() if value}


def _area(address: Address) -> dict[str, str]:
    area = {"province": address.province, "city": address.city, "district": address.district,
            "address": address.street()}
    return {key: value for key, value in area.items() if value}


def _result(payload: Mapping[str, Any]) -> Any:
    if payload.get("status") is not True:
        raise CarrierRefused(f"ZTO answered {payload.get('statusCode')}: {payload.get('message')}",
                             carrier="zto", code=payload.get("statusCode"))
    return payload.get("result")


def _scan(scan: Mapping[str, Any], waybill_number: str) -> TrackingEvent:
    site = scan.get("scanSite") or {}
    site = site if isinstance(site, Mapping) else {"name": site}
    scan_type = scan.get("scanType") or ""
    return TrackingEvent(waybill_number=scan.get("billCode") or waybill_number,
                         state=SCAN_TYPES.get(scan_type, "in_transit"), at=china_time(scan["scanDate"]),
                         carrier_code=scan_type, description=scan.get("desc") or "",
                         location=site.get("city") or site.get("name") or scan.get("scanCity") or "")


def _pushed(scan: Mapping[str, Any]) -> TrackingEvent:
    action = scan.get("action") or ""
    return TrackingEvent(waybill_number=scan["billCode"], state=ACTIONS.get(action, "in_transit"),
                         at=china_time(scan["actionTime"]), carrier_code=action, description=scan.get("desc") or "",
                         location=scan.get("city") or scan.get("facilityName") or "")
