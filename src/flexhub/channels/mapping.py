"""From a platform order (ChannelOrder) to flexhub's canonical import (OrderIn). Pure."""

from collections.abc import Mapping
from typing import Any

from flexhub.channels.adapter import ChannelOrder
from flexhub.kernel.errors import ValidationFailed, error_class
from flexhub.ordering import Address, Buyer, OrderIn, OrderLineIn

UnmappedSku = error_class("channels.unmapped_sku", 422, ValidationFailed)

PAYMENT_STATES = {"unpaid": "pending", "paid": "paid", "shipped": "paid", "delivered": "paid",
                  "cancelled": "paid", "refunded": "refunded"}


def to_order_in(channel_code: str, order: ChannelOrder, sku_codes: Mapping[str, str],
                default_country: str | None = None) -> OrderIn:
    """Raises UnmappedSku naming every external SKU without a listing, or a pydantic error when invalid."""
    unmapped = sorted({line.external_sku for line in order.lines if line.external_sku not in sku_codes})
    if unmapped:
        raise UnmappedSku(f"no listing maps {', '.join(unmapped)} on channel {channel_code}", external_skus=unmapped)
    address = _given(order.shipping_address)
    if default_country and "country" not in address:
        address["country"] = default_country
    buyer = _given(order.buyer)
    buyer.setdefault("name", "(not given)")
    if order.validated:
        return _validated(channel_code, order, sku_codes, address, buyer)
    return OrderIn.model_validate({
        "channel": channel_code,
        "external_id": order.external_id,
        "currency": order.currency,
        "buyer": buyer,
        "shipping_address": address,
        "lines": [{"sku": sku_codes[line.external_sku], "quantity": line.quantity, "unit_price": line.unit_price,
                   "discount": line.discount, "presale": line.presale, "external_line_id": line.external_line_id}
                  for line in order.lines],
        "shipping_fee": order.shipping_fee,
        "order_discount": order.order_discount,
        "payment_state": payment_state(order),
        "presale": order.presale,
        "vip": order.vip,
        "live_room": order.live_room,
        "streamer": order.streamer,
        "placed_at": order.placed_at,
        "updated_at": order.updated_at or order.placed_at,
        "cancelled": order.status == "cancelled",
        # The platform already sold it: keep it, awaiting stock, rather than refuse.
        "on_shortage": "backorder",
    })


def _validated(channel_code: str, order: ChannelOrder, sku_codes: Mapping[str, str], address: dict[str, Any],
               buyer: dict[str, Any]) -> OrderIn:
    """An order its adapter validated as flexhub's own (generic), with what the mapping changes: the very OrderIn
    `model_validate` of the mapped fields gives (a test compares them), without validating it again. Every value
    comes from the validated order, a listing's SKU code (a catalog code: valid as a line's) or a constant."""
    lines = [OrderLineIn.model_construct(sku=sku_codes[line.external_sku], quantity=line.quantity,
                                         unit_price=line.unit_price, discount=line.discount,
                                         presale=line.presale, external_line_id=line.external_line_id)
             for line in order.lines]
    return OrderIn.model_construct(
        channel=channel_code, external_id=order.external_id, currency=order.currency,
        buyer=Buyer.model_construct(set(buyer), **buyer), lines=lines,
        shipping_address=Address.model_construct(set(address), **address),
        shipping_fee=order.shipping_fee, order_discount=order.order_discount,
        payment_state=payment_state(order), presale=order.presale, vip=order.vip, live_room=order.live_room,
        streamer=order.streamer, placed_at=order.placed_at, updated_at=order.updated_at or order.placed_at,
        cancelled=order.status == "cancelled", on_shortage="backorder",
    )


def payment_state(order: ChannelOrder) -> str:
    return order.payment_state or PAYMENT_STATES[order.status]


def _given(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "")}
