"""An Orders API v2026-01-01 `Order` (searchOrders / getOrder) as a ChannelOrder; items come inline.

Fields and values from amzn/selling-partner-api-models models/orders-api-model/orders_2026-01-01.json.
Prices: `product.price.unitPrice` per unit; discounts from the item's PROCEEDS `DISCOUNT` breakdown
(its ITEM subtype on the line, its SHIPPING subtype on the order); the shipping fee from the order's
PROCEEDS `SHIPPING` breakdown. Amazon does not say which sign a discount carries, so we take its size.
"""

from collections.abc import Mapping
from typing import Any

from flexhub.channels.adapter import ChannelLine, ChannelOrder
from flexhub.channels.platforms.amazon.canonical import address, given, minor, moment, status

# fulfillment.fulfillmentStatus → ours. SHIPPED becomes delivered once every package says DELIVERED.
STATUSES = {"PENDING_AVAILABILITY": "unpaid", "PENDING": "unpaid", "UNSHIPPED": "paid", "PARTIALLY_SHIPPED": "paid",
            "SHIPPED": "shipped", "CANCELLED": "cancelled", "UNFULFILLABLE": "cancelled"}


def parse(order: Mapping[str, Any]) -> ChannelOrder:
    platform_status = str((order.get("fulfillment") or {}).get("fulfillmentStatus") or "")  # "": none, refused
    currency = _currency(order)
    items = order["orderItems"]
    return ChannelOrder(
        external_id=order["orderId"], status=_status(order, platform_status), platform_status=platform_status,
        currency=currency, lines=tuple(_line(item, currency) for item in items),
        buyer=_buyer(order), shipping_address=_address(order),
        shipping_fee=sum(minor(b["subtotal"], currency) for b in _breakdowns(order, "SHIPPING")),
        order_discount=sum(_discount(item, currency, "SHIPPING") for item in items),
        placed_at=moment(order.get("createdTime")), updated_at=moment(order.get("lastUpdatedTime")),
        presale=platform_status == "PENDING_AVAILABILITY" or "PREORDER" in order.get("programs", ()),
    )


def _status(order: Mapping[str, Any], platform_status: str | None) -> str:
    ours = status(STATUSES, platform_status)
    packages = order.get("packages") or []
    if ours == "shipped" and packages and all(p["packageStatus"]["status"] == "DELIVERED" for p in packages):
        return "delivered"
    return ours


def _currency(order: Mapping[str, Any]) -> str:
    total = (order.get("proceeds") or {}).get("grandTotal")
    if total:
        return total["currencyCode"]
    return order["orderItems"][0]["product"]["price"]["unitPrice"]["currencyCode"]


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    product = item["product"]
    return ChannelLine(
        external_sku=product["sellerSku"], quantity=item["quantityOrdered"],
        unit_price=minor(product.get("price", {}).get("unitPrice"), currency),
        discount=_discount(item, currency, "ITEM"), external_item_id=product.get("asin"),
        external_line_id=item["orderItemId"], title=product.get("title"),
    )


def _discount(item: Mapping[str, Any], currency: str, subtype: str) -> int:
    total = 0
    for breakdown in _breakdowns(item, "DISCOUNT"):
        details = breakdown.get("detailedBreakdowns")
        if not details:  # not split by subtype: the whole discount is on the item
            total += abs(minor(breakdown["subtotal"], currency)) if subtype == "ITEM" else 0
            continue
        total += sum(abs(minor(d["value"], currency)) for d in details if d.get("subtype") == subtype)
    return total


def _breakdowns(owner: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [b for b in (owner.get("proceeds") or {}).get("breakdowns", ()) if b.get("type") == kind]


def _buyer(order: Mapping[str, Any]) -> dict[str, Any]:
    buyer = order.get("buyer") or {}
    delivery = (order.get("recipient") or {}).get("deliveryAddress") or {}
    return given(name=buyer.get("buyerName") or delivery.get("name"), phone=delivery.get("phone"),
                 email=buyer.get("buyerEmail"))


def _address(order: Mapping[str, Any]) -> dict[str, str]:
    place = (order.get("recipient") or {}).get("deliveryAddress") or {}
    return address(place.get("countryCode"), place.get("stateOrRegion"), place.get("city"),
                   place.get("districtOrCounty") or place.get("municipality"),
                   [place.get("addressLine1"), place.get("addressLine2"), place.get("addressLine3")],
                   place.get("postalCode"))
