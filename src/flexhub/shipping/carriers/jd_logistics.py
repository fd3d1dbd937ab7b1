"""`jd_logistics`: JD Logistics' open platform (京东物流开放平台, open.jdl.com / cloud.jdl.com), express.

Not JOS (the marketplace's api.jd.com, see the `jd` channel): JD Logistics runs its own gateway,
LOP. A call is a JSON POST to `{base}{path}` whose body is a JSON *list* of one request object, with
query parameters LOP-DN (the solution domain, ECAP for express), app_key, access_token, timestamp
(local time, "yyyy-MM-dd HH:mm:ss", its zone in the `lop-tz` header), v=2.0, algorithm=md5-salt and
sign = md5 hex of secret + "access_token" + token + "app_key" + key + "method" + path +
"param_json" + body + "timestamp" + timestamp + "v" + "2.0" + secret, as JD's LOP SDKs compute it.

Waybill: /ecap/v1/orders/create, orderOrigin 1 (B2C, under the account's customerCode), product
ed-m-0001 (京东标快) unless the shipment names another; the answer's data carries waybillCode,
orderCode, deliveryPromiseTime and freightPre. No label comes back (JD prints through its cloud
print service): ours is drawn. Tracking: /ecap/v1/orders/trace/query. JD's rate and push APIs
were not documented where we could read them: quotes come from rate cards, tracking by poll.
"""

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from flexhub.integrations.beijing import beijing_text
from flexhub.integrations.signing import md5_hex
from flexhub.kernel import clock
from flexhub.shipping.carrier import (
    Address,
    ApiRequest,
    Quote,
    RateLimit,
    Shipment,
    SignatureInvalid,
    TrackingEvent,
    Waybill,
    amount_text,
    oldest_first,
)
from flexhub.shipping.carriers.china import china_time
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported

PRODUCTION = "https://api.jdl.com"
SANDBOX = "https://uat-api.jdl.com"
DOMAIN = "ECAP"
DEFAULT_PRODUCT = "ed-m-0001"  # 京东标快
CHANNEL_OTHER = "0030001"  # sold on a platform other than JD's own mall
# Trace categories by the words JD names them with; anything else keeps its name and counts as moving.
CATEGORIES = (
    ("拒收", "returned"), ("退", "returned"), ("异常", "exception"), ("取消", "exception"),
    ("妥投", "delivered"), ("签收", "delivered"), ("派送", "out_for_delivery"), ("配送", "out_for_delivery"),
    ("揽收", "picked_up"), ("下单", "info_received"), ("运输", "in_transit"),
)


class JdLogisticsCarrier:
    carrier: ClassVar[str] = "jd_logistics"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "access_token", "customer_code")
    # LOP meters each API per app in its console; no public figure.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    capabilities: ClassVar[frozenset[str]] = frozenset({"waybill", "tracking"})
    push_ack: ClassVar[bytes] = b"{}"

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        raise CarrierUnsupported("JD Logistics quotes are not wired: use the rate card", carrier=self.carrier)

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        raise CarrierUnsupported("JD Logistics quotes are not wired: use the rate card", carrier=self.carrier)

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        return signed_request(credentials, "/ecap/v1/orders/create", order_body(credentials, shipment))

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        data = _data(payload)
        if not data.get("waybillCode"):
            raise CarrierRefused("JD Logistics answered without a waybillCode", carrier=self.carrier)
        return Waybill(number=data["waybillCode"], carrier_order_id=data.get("orderCode"))

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        return signed_request(credentials, "/ecap/v1/orders/trace/query", {
            "waybillCode": waybill_number, "orderOrigin": 1, "customerCode": credentials["customer_code"]})

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        data = _data(payload)
        number = data.get("waybillCode") or waybill_number
        return oldest_first([_trace(number, trace) for trace in data.get("traceDetails") or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        raise SignatureInvalid("JD Logistics is tracked by polling; there is no push to accept")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        raise CarrierUnsupported("JD Logistics is tracked by polling", carrier=self.carrier)


def lop_sign(secret: str, access_token: str, app_key: str, path: str, body: str, timestamp: str) -> str:
    return md5_hex("".join((secret, "access_token", access_token, "app_key", app_key, "method", path,
                            "param_json", body, "timestamp", timestamp, "v", "2.0", secret)))


def signed_request(credentials: Mapping[str, str], path: str, request: Mapping[str, Any]) -> ApiRequest:
    body = json.dumps([request], separators=(",", ":"), ensure_ascii=False)
    timestamp = beijing_text(clock.now())
    params = {"LOP-DN": DOMAIN, "app_key": credentials["app_key"], "access_token": credentials["access_token"],
              "timestamp": timestamp, "v": "2.0", "algorithm": "md5-salt",
              "sign": lop_sign(credentials["app_secret"], credentials["access_token"], credentials["app_key"], path,
                               body, timestamp)}
    headers = {"Content-Type": "application/json;charset=utf-8", "lop-tz": "8"}  # the timestamp is Beijing time
    base = (credentials.get("base_url") or PRODUCTION).rstrip("/")
    return ApiRequest("POST", base + path, headers=headers, params=params, content=body.encode())


def order_body(credentials: Mapping[str, str], shipment: Shipment) -> dict[str, Any]:
    parcel = shipment.parcels[0]
    cargo = {"name": shipment.contents, "quantity": len(shipment.parcels), "weight": shipment.weight_g / 1000,
             "volume": sum(p.length_mm * p.width_mm * p.height_mm for p in shipment.parcels) / 1000,
             # JD takes one cargo line; its dimensions are those of the first parcel, in cm ("hight" is JD's).
             "length": parcel.length_mm / 10, "width": parcel.width_mm / 10, "hight": parcel.height_mm / 10}
    return {
        "orderId": shipment.reference, "orderOrigin": 1, "customerCode": credentials["customer_code"],
        "senderContact": _contact(shipment.sender), "receiverContact": _contact(shipment.recipient),
        "productsReq": {"productCode": shipment.service or DEFAULT_PRODUCT, **_added(shipment)},
        "settleType": 3,  # 月结, the B2C account's monthly bill
        "cargoes": [cargo], "commonChannelInfo": {"channelCode": CHANNEL_OTHER}, "remark": shipment.reference,
    }


def _added(shipment: Shipment) -> dict[str, Any]:
    """Added products: ed-a-0009 代收货款 (shouldPayMoney), ed-a-0002 保价 (guaranteeValue), in yuan."""
    added = []
    if shipment.cod is not None:
        added.append({"productCode": "ed-a-0009", "productAttrs": {"shouldPayMoney": amount_text(shipment.cod)}})
    if shipment.insurance is not None:
        added.append({"productCode": "ed-a-0002", "productAttrs": {"guaranteeValue": amount_text(shipment.insurance)}})
    return {"addedProducts": added} if added else {}


def _contact(address: Address) -> dict[str, str]:
    """JD wants one full address "including province and city"; a street that already names them is kept as is."""
    street, area = address.street(), ""
    for part in (address.province, address.city, address.district):
        if part and part not in street and not area.endswith(part):  # 北京市北京市: a municipality is its city
            area += part
    return {"name": address.name, "mobile": address.phone, "fullAddress": area + street}


def _data(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if payload.get("code") not in (0, "0") or payload.get("success") is False:
        raise CarrierRefused(f"JD Logistics answered {payload.get('code')}: {payload.get('msg')}",
                             carrier="jd_logistics", code=payload.get("code"))
    return payload.get("data") or {}


def _trace(number: str, trace: Mapping[str, Any]) -> TrackingEvent:
    name = trace.get("categoryName") or ""
    state = next((state for word, state in CATEGORIES if word in name), "in_transit")
    return TrackingEvent(waybill_number=number, state=state, at=china_time(trace["operationTime"]),
                         carrier_code=str(trace.get("category") or name),
                         description=trace.get("operationRemark") or trace.get("operationTitle") or "",
                         location=trace.get("operationSiteName") or "")
