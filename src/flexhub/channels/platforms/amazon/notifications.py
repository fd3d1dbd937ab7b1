"""Amazon notifications: ORDER_CHANGE and LISTINGS_ITEM_MFN_QUANTITY_CHANGE, relayed to us over HTTP.

SP-API delivers notifications to an Amazon SQS queue (or EventBridge), never to an HTTP endpoint,
and signs nothing we could check. flexhub's relay reads the queue and POSTs each message body to the
channel's webhook, signed the way every flexhub sender signs: `X-Flexhub-Signature:
sha256=<hex HMAC-SHA256 of the raw body with the channel's notification_secret>`. Checking that HMAC
proves the body came through our relay unchanged; the queue's own IAM policy guards the leg before it.
An EventBridge event is accepted too: its `detail` carries the notification.
"""

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from flexhub.channels.adapter import OrderReference
from flexhub.channels.platforms.amazon.canonical import moment
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex, same

HEADER = "x-flexhub-signature"


class ListingQuantity(NamedTuple):
    """What Amazon now shows for a merchant-fulfilled SKU, to compare with what we pushed."""

    sku: str
    quantity: int


def verify(credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
    secret = credentials.get("notification_secret")
    if not secret:
        raise SignatureInvalid("this Amazon channel has no notification_secret for its relay")
    if not same("sha256=" + hmac_sha256_hex(secret, body), headers.get(HEADER)):
        raise SignatureInvalid(f"{HEADER} does not match the body")


def order_references(body: bytes) -> list[OrderReference]:
    """ORDER_CHANGE names an order and its new status but not its prices: the order must be fetched."""
    change = _payload(body).get("OrderChangeNotification")
    if not change:
        return []
    trigger = change.get("OrderChangeTrigger") or {}
    return [OrderReference(change["AmazonOrderId"], moment(trigger.get("TimeOfOrderChange")))]


def listing_quantity(body: bytes) -> ListingQuantity | None:
    """LISTINGS_ITEM_MFN_QUANTITY_CHANGE as (sku, quantity); None for any other notification."""
    payload = _payload(body)
    if "Sku" not in payload or "Quantity" not in payload:
        return None
    return ListingQuantity(payload["Sku"], payload["Quantity"])


def _payload(body: bytes) -> Mapping[str, Any]:
    notification = json.loads(body)
    notification = notification.get("detail", notification)  # EventBridge wraps the notification
    return notification.get("Payload") or {}
