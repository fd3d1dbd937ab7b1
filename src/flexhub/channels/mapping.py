"""From a platform order (ChannelOrder) to flexhub's canonical import (OrderIn). Pure."""

from collections.abc import Mapping

from flexhub.channels.adapter import ChannelOrder
from flexhub.kernel.errors import ValidationFailed, error_class
from flexhub.ordering import OrderIn

UnmappedSku = error_class("channels.unmapped_sku", 422, ValidationFailed)

PAYMENT_STATES = {"unpaid": "pending", "paid": "paid", "shipped": "paid", "delivered": "paid",
                  "cancelled": "paid", "refunded": "refunded"}


def to_order_in(channel_code: str, order: ChannelOrder, sku_codes: Mapping[str, str],
                default_country: str | None = None) -> OrderIn:
    """Raises UnmappedSku naming every external SKU without a listing, or a pydantic error when invalid."""
    unmapped = sorted({line.external_sku for line in order.lines} - set(sku_codes))
    if unmapped:
        raise UnmappedSku(f"no listing maps {', '.join(unmapped)} on channel {channel_code}", external_skus=unmapped)
    address = {k: v for k, v in order.shipping_address.items() if v not in (None, "")}
    if default_country and "country" not in address:
        address["country"] = default_country
    buyer = {k: v for k, v in order.buyer.items() if v not in (None, "")}
    buyer.setdefault("name", "(not given)")
    return OrderIn.model_validate({
        "channel": channel_code,
        "external_id": order.external_id,
        "currency": order.currency,
        "buyer": buyer,
        "shipping_address": address,
        "lines": [{"sku": sku_codes[line.external_sku], "quantity": line.quantity, "unit_price": line.unit_price,
                   "discount": line.discount, "external_line_id": line.external_line_id} for line in order.lines],
        "shipping_fee": order.shipping_fee,
        "order_discount": order.order_discount,
        "payment_state": PAYMENT_STATES[order.status],
        "presale": order.presale,
        "live_room": order.live_room,
        "streamer": order.streamer,
        "placed_at": order.placed_at,
        "updated_at": order.updated_at or order.placed_at,
        "cancelled": order.status == "cancelled",
        # The platform already sold it: keep it, awaiting stock, rather than refuse.
        "on_shortage": "backorder",
    })
