"""`dhl`: DHL Express: waybills and quotes through the MyDHL API, tracking through Shipment Tracking - Unified.

Tracking (developer.dhl.com, "Shipment Tracking - Unified"): GET {base}/track/shipments?trackingNumber=
with the header DHL-API-Key. Each shipment has events with statusCode pre-transit, transit,
delivered, failure or unknown; the default plan allows 250 calls a day and one call per 5 seconds.

Waybills and quotes ("DHL Express - MyDHL API", REST/JSON, HTTP Basic with the MyDHL username and
password): POST {mydhl}/shipments answers shipmentTrackingNumber, packages[].trackingNumber and
documents[] whose typeCode "label" carries the label, base64, in the requested encodingFormat (pdf);
POST {mydhl}/rates answers products[] with productCode, productName, totalPrice[] per currencyType
(BILLC = the billing currency) and deliveryCapabilities.totalTransitDays. Shipments across a border
are declared by their declared_value; export-declaration line items are not built here. Cash on
delivery is not offered through this adapter. DHL does not push here: tracking is polled.

Hosts: base_url (tracking; default https://api-eu.dhl.com) and mydhl_base_url (default
https://express.api.dhl.com/mydhlapi; DHL's test system is .../mydhlapi/test); a sandbox that gives
only base_url serves MyDHL under {base_url}/mydhlapi.
"""

import base64
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from flexhub.kernel import clock
from flexhub.kernel.money import Money, minor_digits, to_minor
from flexhub.shipping.carrier import (
    Address,
    ApiRequest,
    Parcel,
    Quote,
    RateLimit,
    Shipment,
    SignatureInvalid,
    TrackingEvent,
    Waybill,
    oldest_first,
)
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported

TRACKING = "https://api-eu.dhl.com"
MYDHL = "https://express.api.dhl.com/mydhlapi"
MYDHL_TEST = "https://express.api.dhl.com/mydhlapi/test"
DEFAULT_PRODUCT = "P"  # EXPRESS WORLDWIDE
PLANNED_AHEAD = timedelta(hours=2)  # MyDHL refuses a shipping time already past when it arrives
STATUS_CODES = {"pre-transit": "info_received", "transit": "in_transit", "delivered": "delivered",
                "failure": "exception", "unknown": "in_transit"}
OUT_FOR_DELIVERY = ("out for delivery", "with delivery courier")


class DhlCarrier:
    carrier: ClassVar[str] = "dhl"
    credential_fields: ClassVar[tuple[str, ...]] = ("api_key", "mydhl_username", "mydhl_password", "account_number")
    # Shipment Tracking - Unified's default plan: 250 calls a day, at most one per 5 seconds.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=0.2, burst=1)
    capabilities: ClassVar[frozenset[str]] = frozenset({"rates", "waybill", "tracking"})
    push_ack: ClassVar[bytes] = b"{}"

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        body = {
            "customerDetails": {"shipperDetails": _place(shipment.sender),
                                "receiverDetails": _place(shipment.recipient)},
            "accounts": _accounts(credentials), "plannedShippingDateAndTime": _planned(),
            "unitOfMeasurement": "metric", "isCustomsDeclarable": _declarable(shipment),
            "packages": [_package(parcel) for parcel in shipment.parcels],
        }
        if shipment.service:
            body["productCode"] = shipment.service
        return _mydhl(credentials, "/rates", body)

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        return [_quote(product) for product in _answer(payload).get("products") or []]

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        if shipment.cod is not None:
            raise CarrierUnsupported("DHL Express cash on delivery is not offered here", carrier=self.carrier)
        return _mydhl(credentials, "/shipments", shipment_body(credentials, shipment))

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        answer = _answer(payload)
        if not answer.get("shipmentTrackingNumber"):
            raise CarrierRefused("MyDHL answered without a shipmentTrackingNumber", carrier=self.carrier)
        labels = [d for d in answer.get("documents") or [] if d.get("typeCode") == "label"]
        return Waybill(number=str(answer["shipmentTrackingNumber"]),
                       label=base64.b64decode(labels[0]["content"]) if labels else None,
                       label_format=labels[0].get("imageFormat", "pdf").lower() if labels else None,
                       parcel_numbers=tuple(str(p["trackingNumber"]) for p in answer.get("packages") or []))

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        base = (credentials.get("base_url") or TRACKING).rstrip("/")
        return ApiRequest("GET", f"{base}/track/shipments", params={"trackingNumber": waybill_number},
                          headers={"DHL-API-Key": credentials["api_key"], "Accept": "application/json"})

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        if "shipments" not in payload:
            raise CarrierRefused(f"DHL tracking answered {payload.get('status')}: {payload.get('title')}",
                                 carrier=self.carrier, code=payload.get("status"))
        return oldest_first([_event(str(shipment.get("id") or waybill_number), event)
                             for shipment in payload["shipments"] for event in shipment.get("events") or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        raise SignatureInvalid("DHL is tracked by polling; there is no push to accept")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        raise CarrierUnsupported("DHL is tracked by polling", carrier=self.carrier)


def shipment_body(credentials: Mapping[str, str], shipment: Shipment) -> dict[str, Any]:
    content: dict[str, Any] = {"packages": [_package(parcel) for parcel in shipment.parcels],
                               "isCustomsDeclarable": _declarable(shipment), "description": shipment.contents[:70],
                               "incoterm": "DAP", "unitOfMeasurement": "metric"}
    declared = shipment.declared_value
    if declared is not None and _declarable(shipment):
        content |= {"declaredValue": _major(declared), "declaredValueCurrency": declared.currency}
    body = {
        "plannedShippingDateAndTime": _planned(), "pickup": {"isRequested": False},
        "productCode": shipment.service or DEFAULT_PRODUCT, "accounts": _accounts(credentials),
        "customerDetails": {"shipperDetails": _party(shipment.sender), "receiverDetails": _party(shipment.recipient)},
        "content": content, "outputImageProperties": {"encodingFormat": "pdf"},
        "customerReferences": [{"value": shipment.reference, "typeCode": "CU"}],
    }
    if shipment.insurance is not None:  # II: DHL's shipment insurance value-added service
        body["valueAddedServices"] = [{"serviceCode": "II", "value": _major(shipment.insurance),
                                       "currency": shipment.insurance.currency}]
    return body


def _mydhl(credentials: Mapping[str, str], path: str, body: Mapping[str, Any]) -> ApiRequest:
    base = credentials.get("mydhl_base_url") or (
        credentials["base_url"].rstrip("/") + "/mydhlapi" if credentials.get("base_url") else MYDHL)
    user = f"{credentials['mydhl_username']}:{credentials['mydhl_password']}".encode()
    headers = {"Authorization": "Basic " + base64.b64encode(user).decode(), "Accept": "application/json"}
    return ApiRequest("POST", base.rstrip("/") + path, headers=headers, json=dict(body))


def _answer(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if "detail" in payload and "status" in payload:  # MyDHL's errors are problem+json
        raise CarrierRefused(f"MyDHL answered {payload.get('status')}: {payload.get('detail')}",
                             carrier="dhl", code=payload.get("status"))
    return payload


def _accounts(credentials: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"typeCode": "shipper", "number": credentials["account_number"]}]


def _planned() -> str:
    return (clock.now() + PLANNED_AHEAD).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S GMT+00:00")


def _declarable(shipment: Shipment) -> bool:
    return shipment.sender.country != shipment.recipient.country and shipment.declared_value is not None


def _package(parcel: Parcel) -> dict[str, Any]:
    package: dict[str, Any] = {"weight": parcel.weight_g / 1000}
    if parcel.length_mm and parcel.width_mm and parcel.height_mm:
        package["dimensions"] = {"length": parcel.length_mm / 10, "width": parcel.width_mm / 10,
                                 "height": parcel.height_mm / 10}
    return package


def _place(address: Address) -> dict[str, str]:
    place = {"postalCode": address.postal_code, "cityName": address.city, "countryCode": address.country,
             "addressLine1": address.line1}
    return {key: value for key, value in place.items() if value}


def _party(address: Address) -> dict[str, Any]:
    postal = _place(address) | ({"addressLine2": address.line2} if address.line2 else {}) | (
        {"provinceName": address.province} if address.province else {})
    contact = {"fullName": address.name, "phone": address.phone, "companyName": address.company or address.name}
    contact |= {"email": address.email} if address.email else {}
    return {"postalAddress": postal, "contactInformation": contact}


def _quote(product: Mapping[str, Any]) -> Quote:
    prices = product.get("totalPrice") or []
    billed = next((p for p in prices if p.get("currencyType") == "BILLC"), prices[0] if prices else None)
    if billed is None:
        raise CarrierRefused(f"MyDHL quoted {product.get('productCode')} without a price", carrier="dhl")
    days = (product.get("deliveryCapabilities") or {}).get("totalTransitDays")
    currency = billed["priceCurrency"]
    return Quote(service=product["productCode"], service_name=product.get("productName") or "",
                 price=Money(to_minor(billed["price"], currency), currency),
                 promised_days=int(days) if days not in (None, "") else None)


def _event(number: str, event: Mapping[str, Any]) -> TrackingEvent:
    code = event.get("statusCode") or "unknown"
    text = event.get("description") or event.get("status") or ""
    state = STATUS_CODES.get(code, "in_transit")
    if state == "in_transit" and any(words in text.lower() for words in OUT_FOR_DELIVERY):
        state = "out_for_delivery"
    place = ((event.get("location") or {}).get("address") or {})
    return TrackingEvent(waybill_number=number, state=state, at=_utc(event["timestamp"]), carrier_code=code,
                         description=text, location=place.get("addressLocality") or place.get("countryCode") or "")


def _utc(text: str) -> datetime:
    """ISO 8601; an event time without an offset (the spec's own examples have some) is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _major(money: Money) -> float:
    return money.amount / 10 ** minor_digits(money.currency)
