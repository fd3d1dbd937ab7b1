"""`easypost`: EasyPost-style generic REST shipping (api.easypost.com/v2), one account over many carriers.

Auth is HTTP Basic with the API key as user name and no password. Quotes: POST /shipments creates a
Shipment whose `rates` are the quotes (service, carrier, rate in major units, delivery_days). A
waybill is bought in one call (EasyPost's "one-call buy": the create request names `service` and
`carrier_accounts`), or for a quoted rate with `buy_request` (POST /shipments/{id}/buy
{"rate": {"id"}}); either answer is the Shipment, with tracking_code and postage_label.label_url
(a PNG, PDF or ZPL file the label is fetched from). A shipment of several parcels is an EasyPost
Order, not wired here. Tracking: POST /trackers {"tracker": {"tracking_code"}} answers the Tracker
(EasyPost keeps one per code, so asking again is safe). Push: EasyPost posts Events (tracker.created,
tracker.updated) signed X-Hmac-Signature: hmac-sha256-hex=<HMAC-SHA256 of the raw body with the
NFKD-normalised webhook secret>.
"""

import base64
import json
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from flexhub.integrations.signing import hmac_sha256_hex, same
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
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported

PRODUCTION = "https://api.easypost.com/v2"
HEADER = "x-hmac-signature"
GRAMS_PER_OUNCE = 28.349523125
STATUSES = {
    "unknown": "info_received", "pre_transit": "info_received", "in_transit": "in_transit",
    "out_for_delivery": "out_for_delivery", "available_for_pickup": "out_for_delivery", "delivered": "delivered",
    "return_to_sender": "returned", "failure": "exception", "cancelled": "exception", "error": "exception",
}
# A status_detail that says more than its status.
DETAILS = {"received_at_origin_facility": "picked_up", "delivery_exception": "failed_attempt",
           "refused": "returned", "return": "returned", "lost": "exception", "damaged": "exception"}


class EasyPostCarrier:
    carrier: ClassVar[str] = "easypost"
    credential_fields: ClassVar[tuple[str, ...]] = ("api_key", "webhook_secret", "carrier_account_id")
    # EasyPost throttles dynamically (429 with a retry) rather than publishing a fixed rate.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=5, burst=10)
    capabilities: ClassVar[frozenset[str]] = frozenset({"rates", "waybill", "tracking", "push"})
    push_ack: ClassVar[bytes] = b"{}"

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        return _call(credentials, "/shipments", {"shipment": shipment_body(shipment)})

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        return [_quote(rate) for rate in _answer(payload).get("rates") or []]

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        if not shipment.service:
            raise ValueError("EasyPost buys a named service: CARRIER:Service, as its quotes name them")
        service = shipment.service.split(":", 1)[-1]
        body = shipment_body(shipment) | {"service": service, "carrier_accounts": [credentials["carrier_account_id"]]}
        return _call(credentials, "/shipments", {"shipment": body})

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        bought = _answer(payload)
        label = bought.get("postage_label") or {}
        if not bought.get("tracking_code") or not label:
            raise CarrierRefused(f"EasyPost shipment {bought.get('id')} has no label yet", carrier=self.carrier)
        url = label.get("label_pdf_url") or label.get("label_url")
        kind = "pdf" if label.get("label_pdf_url") else (label.get("label_file_type") or "image/png").split("/")[-1]
        return Waybill(number=bought["tracking_code"], carrier_order_id=bought.get("id"), label_url=url,
                       label_format=kind)

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        return _call(credentials, "/trackers", {"tracker": {"tracking_code": waybill_number}})

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        tracker = _answer(payload)
        number = tracker.get("tracking_code") or waybill_number
        return oldest_first([_event(number, detail) for detail in tracker.get("tracking_details") or []])

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        secret = unicodedata.normalize("NFKD", credentials["webhook_secret"])
        if not same("hmac-sha256-hex=" + hmac_sha256_hex(secret, body), headers.get(HEADER)):
            raise SignatureInvalid(f"{HEADER} does not match the body")

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        result = json.loads(body).get("result") or {}
        return self.parse_tracking(result, "") if result.get("object") == "Tracker" else []


def buy_request(credentials: Mapping[str, str], shipment_id: str, rate_id: str) -> ApiRequest:
    """Buy a quoted rate (Quote.rate_id) on the EasyPost shipment that quoted it; parse_waybill reads the answer."""
    return _call(credentials, f"/shipments/{shipment_id}/buy", {"rate": {"id": rate_id}})


def shipment_body(shipment: Shipment) -> dict[str, Any]:
    if len(shipment.parcels) != 1:
        raise CarrierUnsupported("EasyPost ships several parcels as an Order, not wired here", carrier="easypost")
    parcel = shipment.parcels[0]
    measured = {"length": parcel.length_mm, "width": parcel.width_mm, "height": parcel.height_mm}
    body: dict[str, Any] = {
        "to_address": _address(shipment.recipient), "from_address": _address(shipment.sender),
        "parcel": {"weight": round(parcel.weight_g / GRAMS_PER_OUNCE, 1)}  # ounces and inches
        | ({k: round(v / 25.4, 1) for k, v in measured.items()} if all(measured.values()) else {}),
        "reference": shipment.reference,
    }
    if shipment.cod is not None:
        body["options"] = {"cod_amount": amount_text(shipment.cod)}
    if shipment.insurance is not None:
        body["insurance"] = amount_text(shipment.insurance)
    return body


def _call(credentials: Mapping[str, str], path: str, body: Mapping[str, Any]) -> ApiRequest:
    token = base64.b64encode(f"{credentials['api_key']}:".encode()).decode()
    base = (credentials.get("base_url") or PRODUCTION).rstrip("/")
    return ApiRequest("POST", base + path, headers={"Authorization": f"Basic {token}"}, json=dict(body))


def _answer(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if "error" in payload:
        error = payload["error"] or {}
        raise CarrierRefused(f"EasyPost answered {error.get('code')}: {error.get('message')}",
                             carrier="easypost", code=error.get("code"))
    return payload


def _address(address: Address) -> dict[str, str]:
    fields = {"name": address.name, "company": address.company, "street1": address.line1, "street2": address.line2,
              "city": address.city, "state": address.province, "zip": address.postal_code,
              "country": address.country, "phone": address.phone, "email": address.email}
    return {key: value for key, value in fields.items() if value}


def _quote(rate: Mapping[str, Any]) -> Quote:
    days = rate.get("delivery_days") or rate.get("est_delivery_days")
    return Quote(service=f"{rate['carrier']}:{rate['service']}", service_name=f"{rate['carrier']} {rate['service']}",
                 price=Money(to_minor(rate["rate"], rate["currency"]), rate["currency"]),
                 promised_days=int(days) if days is not None else None, rate_id=rate["id"])


def _event(number: str, detail: Mapping[str, Any]) -> TrackingEvent:
    status = detail.get("status") or "unknown"
    state = DETAILS.get(detail.get("status_detail") or "") or STATUSES.get(status, "in_transit")
    place = detail.get("tracking_location") or {}
    location = ", ".join(part for part in (place.get("city"), place.get("state"), place.get("country")) if part)
    return TrackingEvent(waybill_number=number, state=state, at=datetime.fromisoformat(detail["datetime"]),
                         carrier_code=detail.get("carrier_code") or status,
                         description=detail.get("message") or detail.get("description") or "", location=location)
