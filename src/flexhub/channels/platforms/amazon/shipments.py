"""Telling Amazon an order shipped: confirmShipment, POST /orders/v0/orders/{orderId}/shipmentConfirmation.

Orders v2026-01-01 reads orders only; confirmShipment stays in v0 (2 requests/s, burst 10). One call
confirms one package; a second package needs its own packageReferenceId, and repeating an id edits
that package. So the id is derived from the tracking number: a retry edits, a new parcel adds.
"""

import re
from collections.abc import Mapping
from urllib.parse import quote

from flexhub.channels.adapter import ShipmentNotice
from flexhub.channels.platforms.amazon.calls import call
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import sha256_hex
from flexhub.kernel import clock
from flexhub.kernel.clock import as_utc
from flexhub.kernel.errors import ValidationFailed

# Amazon CarrierCode values for carriers we can name with confidence; anything else goes as "Other"
# with the carrier's name in carrierName (the CarrierCode list lives in Amazon's amzn-base.xsd).
CARRIER_CODES = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL", "royalmail": "Royal Mail",
                 "dpd": "DPD", "gls": "GLS", "ontrac": "OnTrac", "canadapost": "Canada Post",
                 "deutschepost": "Deutsche Post", "yodel": "Yodel"}


def confirm_request(credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
    if not notice.lines:
        raise ValidationFailed("Amazon confirms shipments per order item: name the orderItemIds and quantities",
                               order=notice.external_id)
    shipped_at = as_utc(notice.shipped_at or clock.now())
    package = {"packageReferenceId": package_reference(notice.tracking_number), **_carrier(notice.carrier),
               "trackingNumber": notice.tracking_number,
               "shipDate": shipped_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
               "orderItems": [{"orderItemId": line, "quantity": quantity} for line, quantity in notice.lines]}
    path = f"/orders/v0/orders/{quote(notice.external_id, safe='')}/shipmentConfirmation"
    return call(credentials, "POST", path, json={"marketplaceId": credentials["marketplace_id"],
                                                  "packageDetail": package})


def package_reference(tracking_number: str) -> str:
    """A positive number, the same for the same tracking number (Amazon takes positive numerals only)."""
    return str(int(sha256_hex(tracking_number)[:12], 16) + 1)


def _carrier(carrier: str) -> dict[str, str]:
    code = CARRIER_CODES.get(re.sub(r"[^a-z0-9]", "", carrier.lower()))
    return {"carrierCode": code} if code else {"carrierCode": "Other", "carrierName": carrier}
