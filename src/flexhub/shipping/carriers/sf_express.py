"""`sf_express`: SF Express's 丰桥 open platform (open.sf-express.com), domestic express.

Every call is one form POST to `/std/service` with partnerID, requestID, serviceCode, timestamp,
msgData (the business JSON as a string) and msgDigest = base64(md5(urlencode(msgData + timestamp +
checkword))), URL-encoded as Java's URLEncoder does (space as "+", "*" kept). The answer wraps the
business answer as a JSON *string*: {"apiResultCode": "A1000", "apiResultData": "{\"success\":
true, \"errorCode\": \"S0000\", \"msgData\": {...}}"}; A1000 only means the gateway accepted it.

Quotes: EXP_RECE_QUERY_DELIVERTM (时效标准及价格查询, fee in yuan and the promised time).
Waybill: EXP_RECE_CREATE_ORDER; the waybill is waybillNoInfoList[waybillType=1], child pieces
waybillType=2; the label is printed by SF's cloud print (a separate service), so none comes back
here and `flexhub.shipping.labels` draws ours. Tracking: EXP_RECE_SEARCH_ROUTES, up to 10 numbers.
Push: RoutePushService posts {"Body": {"WaybillRoute": [...]}} (at most 10 routes) as JSON to the URL
set in SF's console and expects {"return_code": "0000"}. SF does not sign it, so the URL we give SF
carries our own `token` query parameter, compared with the account's push_token.
"""

import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import quote_plus, urlencode

from flexhub.integrations.beijing import beijing_moment, beijing_text, beijing_time
from flexhub.integrations.signing import md5_base64, same
from flexhub.kernel import clock
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
    amount_text,
    oldest_first,
)
from flexhub.shipping.errors import CarrierRefused

PRODUCTION = "https://bspgw.sf-express.com/std/service"
SANDBOX = "https://sfapi-sbox.sf-express.com/std/service"
CURRENCY = "CNY"
DEFAULT_PRODUCT = "2"  # 顺丰标快; expressTypeId codes are SF's 快件产品类别表
FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}

# Route opCodes as SF's route table and long-standing integrations name them; others keep their
# code and fall back on firstStatusName, then "in_transit".
OP_CODES = {
    "655": "info_received",  # 待揽收 (a partner point holds it for pickup)
    "50": "picked_up", "54": "picked_up", "43": "picked_up",  # 顺丰已收件 / 已收取快件
    "30": "in_transit", "31": "in_transit", "36": "in_transit", "3036": "in_transit",  # sorted, arrived, left
    "123": "in_transit", "130": "in_transit", "607": "in_transit", "99": "in_transit",  # to/at store, agent, 转寄
    "44": "out_for_delivery", "204": "out_for_delivery",  # 正在派送途中
    "80": "delivered", "8000": "delivered",  # 已签收
    "70": "failed_attempt",  # 派件不成功
    "33": "exception",  # 派件异常 / 滞留
    "648": "returned", "631": "returned",  # 快件已退回
}
FIRST_STATUS = {"待揽收": "info_received", "已揽收": "picked_up", "运送中": "in_transit",
                "派送中": "out_for_delivery", "已签收": "delivered"}


class SfExpressCarrier:
    carrier: ClassVar[str] = "sf_express"
    credential_fields: ClassVar[tuple[str, ...]] = ("partner_id", "check_word", "monthly_card", "push_token")
    # SF's answer A1005: 30 calls a second per API and customer code (and 3,000 a day in the sandbox).
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=30, burst=30)
    capabilities: ClassVar[frozenset[str]] = frozenset({"rates", "waybill", "tracking", "push"})
    push_ack: ClassVar[bytes] = b'{"return_code":"0000","return_msg":"success"}'

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        query = {"weight": _kg(shipment.weight_g), "searchPrice": "1", "consignedTime": beijing_text(clock.now()),
                 "srcAddress": _area(shipment.sender), "destAddress": _area(shipment.recipient)}
        if shipment.service:
            query = {"businessType": shipment.service, **query}
        if credentials.get("monthly_card"):
            query["monthlyCard"] = credentials["monthly_card"]
        return signed_request(credentials, "EXP_RECE_QUERY_DELIVERTM", query)

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        return [_quote(product) for product in business_data(payload).get("deliverTmDto") or []
                if product.get("fee") is not None]

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        return signed_request(credentials, "EXP_RECE_CREATE_ORDER", order_data(credentials, shipment))

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        data = business_data(payload)
        if data.get("filterResult") == 3:
            raise CarrierRefused(f"SF cannot carry order {data.get('orderId')}: {data.get('remark')}", carrier="sf")
        numbers = data.get("waybillNoInfoList") or []
        master = [n["waybillNo"] for n in numbers if n.get("waybillType") == 1]
        if not master:
            raise CarrierRefused("SF answered without a waybill number", carrier="sf")
        return Waybill(number=master[0], carrier_order_id=data.get("orderId"), routing_code=data.get("destCode"),
                       parcel_numbers=tuple(n["waybillNo"] for n in numbers if n.get("waybillType") == 2))

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        query = {"language": "zh-CN", "trackingType": "1", "trackingNumber": [waybill_number], "methodType": "1"}
        if phone:
            query["checkPhoneNo"] = phone[-4:]  # needed where the waybill is not on this account's monthly card
        return signed_request(credentials, "EXP_RECE_SEARCH_ROUTES", query)

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        found = business_data(payload).get("routeResps") or []
        return oldest_first([_event(one.get("mailNo") or waybill_number, route)
                             for one in found for route in one.get("routes") or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        token = credentials.get("push_token")
        if not token or not same(token, headers.get("token")):
            raise SignatureInvalid("SF route pushes are unsigned: the push URL's token must match push_token")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        routes = (json.loads(body).get("Body") or {}).get("WaybillRoute") or []
        return oldest_first([_event(route["mailno"], route) for route in routes])


def msg_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    """SF's msgDigest; the URL encoding is Java's URLEncoder.encode, which SF's own SDK uses."""
    return md5_base64(quote_plus(msg_data + timestamp + check_word, safe="*").replace("~", "%7E"))


def signed_request(credentials: Mapping[str, str], service_code: str, msg: Mapping[str, Any]) -> ApiRequest:
    msg_data = json.dumps(msg, separators=(",", ":"), ensure_ascii=False)
    timestamp = str(int(clock.now().timestamp()))
    form = {"partnerID": credentials["partner_id"],
            # Derived, not random: the same call retried carries the same requestID.
            "requestID": uuid.uuid5(uuid.NAMESPACE_URL, f"{service_code}:{timestamp}:{msg_data}").hex,
            "serviceCode": service_code, "timestamp": timestamp,
            "msgDigest": msg_digest(msg_data, timestamp, credentials["check_word"]), "msgData": msg_data}
    return ApiRequest("POST", credentials.get("base_url") or PRODUCTION, headers=dict(FORM),
                      content=urlencode(form).encode())


def business_data(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The msgData inside apiResultData, or CarrierRefused with SF's own code."""
    if payload.get("apiResultCode") != "A1000":
        raise CarrierRefused(f"SF refused the call: {payload.get('apiResultCode')} {payload.get('apiErrorMsg')}",
                             carrier="sf", code=payload.get("apiResultCode"))
    result = payload.get("apiResultData")
    result = json.loads(result) if isinstance(result, str) else result or {}
    if result.get("success") not in (True, "true"):
        raise CarrierRefused(f"SF answered {result.get('errorCode')}: {result.get('errorMsg')}",
                             carrier="sf", code=result.get("errorCode"))
    return result.get("msgData") or {}


def order_data(credentials: Mapping[str, str], shipment: Shipment) -> dict[str, Any]:
    order: dict[str, Any] = {
        "language": "zh-CN", "orderId": shipment.reference,
        "cargoDetails": [{"name": shipment.contents, "count": len(shipment.parcels), "unit": "件",
                          "weight": _kg(shipment.weight_g)}],
        "contactInfoList": [_contact(1, shipment.sender), _contact(2, shipment.recipient)],
        "expressTypeId": int(shipment.service or DEFAULT_PRODUCT), "payMethod": 1,
        "parcelQty": len(shipment.parcels), "totalWeight": _kg(shipment.weight_g), "isReturnRoutelabel": 1,
    }
    if credentials.get("monthly_card"):
        order["monthlyCard"] = credentials["monthly_card"]
    services = _services(shipment, credentials.get("monthly_card"))
    return order | {"serviceList": services} if services else order


def _services(shipment: Shipment, card: str | None) -> list[dict[str, str]]:
    """Value-added services from SF's 增值服务产品表: COD (value = amount, value1 = the card paid into), INSURE."""
    services = []
    if shipment.cod is not None:
        services.append({"name": "COD", "value": amount_text(shipment.cod), **({"value1": card} if card else {})})
    if shipment.insurance is not None:
        services.append({"name": "INSURE", "value": amount_text(shipment.insurance)})
    return services


def _contact(contact_type: int, address: Address) -> dict[str, Any]:
    contact = {"contactType": contact_type, "contact": address.name, "mobile": address.phone,
               "country": address.country, "province": address.province, "city": address.city,
               "county": address.district, "address": address.street(), "company": address.company,
               "postCode": address.postal_code}
    return {key: value for key, value in contact.items() if value not in ("", None)}


def _area(address: Address) -> dict[str, str]:
    area = {"province": address.province, "city": address.city, "district": address.district,
            "address": address.street()}
    return {key: value for key, value in area.items() if value}


def _quote(product: Mapping[str, Any]) -> Quote:
    promised = beijing_time((product.get("deliverTime") or "").split(",")[0] or None)
    days = (_beijing_day(promised) - _beijing_day(clock.now())).days if promised else None
    return Quote(service=str(product["businessType"]), service_name=product.get("businessTypeDesc") or "",
                 price=Money(to_minor(product["fee"], CURRENCY), CURRENCY), promised_by=promised,
                 promised_days=days)


def _beijing_day(moment: datetime) -> date:
    return date.fromisoformat(beijing_text(moment)[:10])


def _event(waybill_number: str, route: Mapping[str, Any]) -> TrackingEvent:
    code = str(route.get("opCode") or route.get("opcode") or "")
    state = OP_CODES.get(code) or FIRST_STATUS.get(route.get("firstStatusName") or "", "in_transit")
    return TrackingEvent(waybill_number=waybill_number, state=state, at=beijing_moment(str(route["acceptTime"])),
                         carrier_code=code, description=route.get("remark") or "",
                         location=route.get("acceptAddress") or "")


def _kg(grams: int) -> float:
    return float(Decimal(grams) / 1000)
