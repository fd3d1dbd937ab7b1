"""`ebay`: eBay Sell APIs — Fulfillment API orders in and shipments out, Inventory API stock out.

Orders: GET /sell/fulfillment/v1/order?filter=lastmodifieddate:[from..to]&limit&offset (Order type
of sell_fulfillment_v1_oas3.json). Shipments: POST /sell/fulfillment/v1/order/{orderId}/
shipping_fulfillment. Stock: POST /sell/inventory/v1/bulk_update_price_quantity, 25 inventory items
per call, each item's shipToLocationAvailability.quantity. A listing shows the smaller of that and an
offer's own availableQuantity, so a seller's per-offer cap stays (offerIds are not known here). Every
call carries the seller's OAuth user token (`Authorization: Bearer`), which the worker refreshes with
`access_token_request` and passes as `access_token`.
Stock read (reconciliation): POST /sell/inventory/v1/bulk_get_inventory_item, 25 SKUs a call; each
response's inventoryItem.availability.shipToLocationAvailability.quantity.

Webhooks: the Notification API's ORDER_CONFIRMATION topic (one message per line item, naming the
orderId; the order itself is then fetched). eBay signs it with ECDSA, not a shared secret:
`X-EBAY-SIGNATURE` is base64 JSON {alg, kid, signature, digest}; the key for `kid` comes from
getPublicKey (`public_key_request`), which the intake fetches, caches and passes in the credentials as
`notification_public_key`. eBay's own SDKs verify the compact JSON re-serialisation of the message
(eBay/event-notification-java-sdk SignatureValidator), so whitespace between JSON tokens is not signed.
"""

import base64
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ListingRef,
    OrderReference,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, ecdsa_verifies, sha256_hex
from flexhub.kernel import clock
from flexhub.kernel.clock import as_utc
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.money import to_minor

PRODUCTION = "https://api.ebay.com"
SELL_SCOPES = ("https://api.ebay.com/oauth/api_scope/sell.fulfillment "
               "https://api.ebay.com/oauth/api_scope/sell.inventory")
PAGE_SIZE = 200  # orders per getOrders page; within every published maximum (the v1.11 contract says 1000)
STOCK_BATCH = 25  # inventory items per bulk_update_price_quantity (BulkPriceQuantity type)
SIGNATURE_HEADER = "x-ebay-signature"
FULFILLMENT_STATUSES = ("NOT_STARTED", "IN_PROGRESS", "FULFILLED")
PAYMENT_STATUSES = ("PENDING", "FAILED", "PAID", "PARTIALLY_REFUNDED", "FULLY_REFUNDED")
# eBay ShippingCarrierCodeType values we are sure of; any other carrier is sent as given (use eBay's code).
CARRIER_CODES = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL"}


class EbayAdapter:
    platform: ClassVar[str] = "ebay"
    # The app's keyset (App ID, Cert ID) and the seller's refresh token; the worker adds access_token.
    # Optional: notification_public_key (per kid, from getPublicKey), application_token, base_url.
    credential_fields: ClassVar[tuple[str, ...]] = ("client_id", "client_secret", "refresh_token")
    # eBay publishes daily quotas, not per-second rates (developer.ebay.com api_call_limits): 2/s with
    # a burst of 10 keeps a channel far inside them. Each listing takes at most 250 revisions a day.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=2, burst=10, stock_batch=STOCK_BATCH)
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer_errors"})
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        key, signature = credentials.get("notification_public_key"), _signature(headers)
        if not key:
            raise SignatureInvalid("no eBay public key was given for this notification's kid")
        if not any(ecdsa_verifies(_der(key), signature["signature"], message, signature.get("digest", "SHA1"))
                   for message in _signed_forms(body)):
            raise SignatureInvalid(f"{SIGNATURE_HEADER} does not match the body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        notification = json.loads(body).get("notification") or {}
        order_id = (notification.get("data") or {}).get("orderId")
        return [OrderReference(order_id, _moment(notification.get("eventDate")))] if order_id else []

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        pricing = payload["pricingSummary"]
        currency = pricing["total"]["currency"]
        ship_to = _ship_to(payload)
        return ChannelOrder(
            external_id=payload["orderId"], status=_status(payload), platform_status=_platform_status(payload),
            currency=currency, lines=tuple(_line(item, currency) for item in payload["lineItems"]),
            buyer=_given(name=ship_to.get("fullName"), phone=(ship_to.get("primaryPhone") or {}).get("phoneNumber"),
                         email=ship_to.get("email"), external_id=(payload.get("buyer") or {}).get("username")),
            shipping_address=_address(ship_to.get("contactAddress") or {}),
            shipping_fee=_minor(pricing.get("deliveryCost"), currency),
            order_discount=abs(_minor(pricing.get("deliveryDiscount"), currency)),
            placed_at=_moment(payload.get("creationDate")), updated_at=_moment(payload.get("lastModifiedDate")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        window = f"lastmodifieddate:[{_iso(since)}..{_iso(until)}]"  # both ends inclusive; re-reads are harmless
        return _call(credentials, "GET", "/sell/fulfillment/v1/order",
                     params={"filter": window, "limit": str(PAGE_SIZE), "offset": cursor or "0"})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        orders = tuple(payload.get("orders", ()))
        following = payload.get("offset", 0) + payload.get("limit", len(orders))
        return OrdersPage(orders, str(following) if payload.get("next") else None)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [_call(credentials, "POST", "/sell/inventory/v1/bulk_update_price_quantity", json={"requests": [
            {"sku": push.external_sku, "shipToLocationAvailability": {"quantity": push.quantity}}
            for push in pushes[start:start + STOCK_BATCH]]}) for start in range(0, len(pushes), STOCK_BATCH)]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        batches = (tuple(listings[start:start + STOCK_BATCH]) for start in range(0, len(listings), STOCK_BATCH))
        return [StockRead(_call(credentials, "POST", "/sell/inventory/v1/bulk_get_inventory_item", json={
            "requests": [{"sku": ref.external_sku} for ref in batch]}), batch) for batch in batches]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if payload.get("errors"):
            raise ValueError(f"ebay: {payload['errors']}")
        wanted = {ref.external_sku for ref in listings}
        figures = {}
        for item in payload.get("responses", ()):
            ship_to = ((item.get("inventoryItem") or {}).get("availability") or {}).get("shipToLocationAvailability")
            if item.get("sku") in wanted and 200 <= item.get("statusCode", 200) < 300 and ship_to:
                figures[item["sku"]] = int(ship_to.get("quantity", 0))
        return figures

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        if not notice.lines:
            raise ValidationFailed("eBay fulfils per line item: name the lineItemIds and quantities",
                                   order=notice.external_id)
        carrier = CARRIER_CODES.get(re.sub(r"[^a-z0-9]", "", notice.carrier.lower()), notice.carrier)
        return _call(credentials, "POST", f"/sell/fulfillment/v1/order/{quote(notice.external_id, safe='')}"
                     "/shipping_fulfillment", json={
                         "lineItems": [{"lineItemId": line, "quantity": quantity} for line, quantity in notice.lines],
                         "shippedDate": _iso(notice.shipped_at or clock.now()),
                         "shippingCarrierCode": carrier, "trackingNumber": notice.tracking_number})

    # Beyond the protocol, for the workers that need them.

    @staticmethod
    def access_token_request(credentials: Mapping[str, str]) -> ApiRequest:
        """A user access token from the seller's refresh token (refresh_token grant)."""
        form = {"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"], "scope": SELL_SCOPES}
        return _token_request(credentials, form)

    @staticmethod
    def application_token_request(credentials: Mapping[str, str]) -> ApiRequest:
        """An application token (client_credentials grant), which getPublicKey asks for."""
        return _token_request(credentials, {"grant_type": "client_credentials",
                                            "scope": "https://api.ebay.com/oauth/api_scope"})

    @staticmethod
    def signature_key_id(headers: Mapping[str, str]) -> str:
        return _signature(headers)["kid"]

    @staticmethod
    def public_key_request(credentials: Mapping[str, str], key_id: str) -> ApiRequest:
        """getPublicKey: the `key` it answers is what verify_webhook wants as notification_public_key."""
        return _call({**credentials, "access_token": credentials["application_token"]}, "GET",
                     f"/commerce/notification/v1/public_key/{quote(key_id, safe='')}")

    @staticmethod
    def challenge_response(challenge_code: str, verification_token: str, endpoint: str) -> str:
        """The answer to eBay's endpoint check (GET ?challenge_code=...): hex SHA-256 of the three, in order."""
        return sha256_hex(challenge_code + verification_token + endpoint)

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """What the stock pusher reads: any SKU the bulk update refused fails the batch (it is re-sent)."""
        refused = self.stock_errors(payload)
        return "; ".join(f"{sku}: {', '.join(why)}" for sku, why in refused.items()) or None

    @staticmethod
    def stock_errors(response: Mapping[str, Any]) -> dict[str, list[str]]:
        """SKUs a bulk_update_price_quantity answer refused (its per-SKU statusCode is not 2xx), with why."""
        return {item.get("sku", ""): [f"{e.get('errorId')}: {e.get('message')}" for e in item.get("errors", ())]
                for item in response.get("responses", ()) if not 200 <= item.get("statusCode", 200) < 300}


def _call(credentials: Mapping[str, str], method: str, path: str, *, params: Mapping[str, str] | None = None,
          json: Any = None) -> ApiRequest:
    headers = {"authorization": f"Bearer {credentials['access_token']}", "accept": "application/json"}
    if json is not None:
        headers["content-type"] = "application/json"
    base = credentials.get("base_url", PRODUCTION).rstrip("/")
    return ApiRequest(method, f"{base}{path}", headers=headers, params=dict(params or {}), json=json)


def _token_request(credentials: Mapping[str, str], form: Mapping[str, str]) -> ApiRequest:
    keys = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode()).decode()
    return ApiRequest("POST", f"{credentials.get('base_url', PRODUCTION).rstrip('/')}/identity/v1/oauth2/token",
                      headers={"authorization": f"Basic {keys}", "content-type": "application/x-www-form-urlencoded"},
                      content=urlencode(form).encode())


def _status(order: Mapping[str, Any]) -> str:
    fulfillment, payment = order.get("orderFulfillmentStatus"), order.get("orderPaymentStatus")
    if fulfillment not in FULFILLMENT_STATUSES or payment not in PAYMENT_STATUSES:
        raise ValidationFailed(f"unknown eBay order status {fulfillment!r}/{payment!r}")
    if (order.get("cancelStatus") or {}).get("cancelState") == "CANCELED":
        return "cancelled"
    if payment == "FULLY_REFUNDED":
        return "refunded"
    if payment in ("PENDING", "FAILED"):
        return "unpaid"
    return "shipped" if fulfillment == "FULFILLED" else "paid"  # the Fulfillment API has no delivered state


def _platform_status(order: Mapping[str, Any]) -> str:
    cancel = (order.get("cancelStatus") or {}).get("cancelState")
    parts = [order["orderFulfillmentStatus"], order["orderPaymentStatus"]]
    return "/".join(parts + ([f"cancel:{cancel}"] if cancel and cancel != "NONE_REQUESTED" else []))


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    quantity, cost = item["quantity"], _minor(item["lineItemCost"], currency)
    unit = -(-cost // quantity)  # lineItemCost is unit × quantity; rounding up keeps the line total exact
    discounted = item.get("discountedLineItemCost")  # only present when a promotion applied
    discount = cost - _minor(discounted, currency) if discounted else 0
    return ChannelLine(
        external_sku=item.get("sku") or item["legacyItemId"],  # SKUs are optional on Trading-API listings
        quantity=quantity, unit_price=unit, discount=discount + unit * quantity - cost,
        external_item_id=item.get("legacyItemId"), external_line_id=item["lineItemId"], title=item.get("title"),
    )


def _ship_to(order: Mapping[str, Any]) -> Mapping[str, Any]:
    for instruction in order.get("fulfillmentStartInstructions", ()):
        ship_to = (instruction.get("shippingStep") or {}).get("shipTo")
        if ship_to:
            return ship_to
    return {}


def _address(place: Mapping[str, Any]) -> dict[str, str]:
    return _given(country=place.get("countryCode"), province=place.get("stateOrProvince"), city=place.get("city"),
                  district=place.get("county"), line1=place.get("addressLine1"), line2=place.get("addressLine2"),
                  postal_code=place.get("postalCode"))


def _given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def _minor(amount: Mapping[str, Any] | None, currency: str) -> int:
    return to_minor(amount["value"], currency) if amount else 0


def _moment(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def _iso(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _signature(headers: Mapping[str, str]) -> dict[str, Any]:
    """The decoded header, its signature as DER bytes; SignatureInvalid when absent or malformed."""
    try:
        signature = json.loads(base64.b64decode(headers[SIGNATURE_HEADER], validate=True))
        return {**signature, "kid": str(signature["kid"]), "signature": base64.b64decode(signature["signature"])}
    except (KeyError, TypeError, ValueError) as error:
        raise SignatureInvalid(f"{SIGNATURE_HEADER} is missing or unreadable") from error


def _der(key: str) -> bytes:
    """getPublicKey answers PEM on one line ("-----BEGIN PUBLIC KEY-----MFkw...-----END PUBLIC KEY-----")."""
    body = re.sub(r"-----(BEGIN|END) PUBLIC KEY-----|\s", "", key)
    try:
        return base64.b64decode(body, validate=True)
    except ValueError as error:
        raise SignatureInvalid("the eBay public key is not base64 DER") from error


def _signed_forms(body: bytes) -> list[bytes]:
    try:
        compact = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False).encode()
    except ValueError as error:
        raise SignatureInvalid("an eBay notification is JSON") from error
    return [body] if compact == body else [body, compact]
