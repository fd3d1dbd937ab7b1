"""An Orders API v0 order with its items, as a ChannelOrder.

v0 needs two or three calls per order, so the worker merges what it fetched under one payload:

    {"order": <getOrders/getOrder Order>, "items": [<getOrderItems OrderItem>, ... every page],
     "address": <getOrderAddress payload>}          # "address" optional; else Order.ShippingAddress

Fields and values from amzn/selling-partner-api-models models/orders-api-model/ordersV0.json.
`ItemPrice` is the line total (unit price × quantity), `PromotionDiscount` the line's discount;
the order's shipping fee is the sum of `ShippingPrice`, its discount the sum of `ShippingDiscount`.
"""

from collections.abc import Mapping
from typing import Any

from flexhub.channels.adapter import ChannelLine, ChannelOrder
from flexhub.channels.platforms.amazon.canonical import address, given, minor, moment, status, unit_price

# OrderStatus → ours. Shipped becomes delivered when Easy Ship reports the package Delivered.
STATUSES = {"PendingAvailability": "unpaid", "Pending": "unpaid", "Unshipped": "paid", "PartiallyShipped": "paid",
            "Shipped": "shipped", "InvoiceUnconfirmed": "shipped", "Canceled": "cancelled",
            "Unfulfillable": "cancelled"}


def parse(payload: Mapping[str, Any]) -> ChannelOrder:
    order, items = payload["order"], payload["items"]
    currency = _currency(order, items)
    place = (payload.get("address") or {}).get("ShippingAddress") or order.get("ShippingAddress") or {}
    return ChannelOrder(
        external_id=order["AmazonOrderId"], status=_status(order), platform_status=order["OrderStatus"],
        currency=currency, lines=tuple(_line(item, currency) for item in items),
        buyer=_buyer(order, place), shipping_address=_address(place),
        shipping_fee=sum(minor(item.get("ShippingPrice"), currency) for item in items),
        order_discount=sum(abs(minor(item.get("ShippingDiscount"), currency)) for item in items),
        placed_at=moment(order.get("PurchaseDate")), updated_at=moment(order.get("LastUpdateDate")),
        presale=order["OrderStatus"] == "PendingAvailability" or order.get("OrderType") == "Preorder",
    )


def _status(order: Mapping[str, Any]) -> str:
    ours = status(STATUSES, order.get("OrderStatus"))
    return "delivered" if ours == "shipped" and order.get("EasyShipShipmentStatus") == "Delivered" else ours


def _currency(order: Mapping[str, Any], items: list[Mapping[str, Any]]) -> str:
    if order.get("OrderTotal"):
        return order["OrderTotal"]["CurrencyCode"]
    return next(item["ItemPrice"]["CurrencyCode"] for item in items if item.get("ItemPrice"))


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    quantity = item["QuantityOrdered"]
    unit, rounding = unit_price(minor(item.get("ItemPrice"), currency), quantity)
    return ChannelLine(
        external_sku=item["SellerSKU"], quantity=quantity, unit_price=unit,
        discount=abs(minor(item.get("PromotionDiscount"), currency)) + rounding,
        external_item_id=item.get("ASIN"), external_line_id=item["OrderItemId"], title=item.get("Title"),
    )


def _buyer(order: Mapping[str, Any], place: Mapping[str, Any]) -> dict[str, Any]:
    info = order.get("BuyerInfo") or {}
    return given(name=info.get("BuyerName") or place.get("Name"), phone=place.get("Phone"),
                 email=info.get("BuyerEmail"))


def _address(place: Mapping[str, Any]) -> dict[str, str]:
    return address(place.get("CountryCode"), place.get("StateOrRegion"), place.get("City"),
                   place.get("District") or place.get("County") or place.get("Municipality"),
                   [place.get("AddressLine1"), place.get("AddressLine2"), place.get("AddressLine3")],
                   place.get("PostalCode"))
