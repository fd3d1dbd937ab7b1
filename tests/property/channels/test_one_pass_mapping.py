"""The generic platform's orders are validated once: its adapter validates the body as flexhub's own order, and the
mapping builds the OrderIn from it without validating again. For any body the adapter takes (optional fields given,
left out or empty, extra buyer and address fields, every payment state, cancelled, presale, discounts), that OrderIn
is the very one the mapping's validation gives (values, the fields set, the dump), as it did before."""

import dataclasses
import json

from hypothesis import given
from hypothesis import strategies as st

from flexhub.channels.mapping import to_order_in
from flexhub.channels.platforms.generic import GenericAdapter

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=0, max_size=12)
some = st.one_of(st.none(), st.just(""), words)
present = words.filter(bool)
lines = st.lists(st.fixed_dictionaries(
    {"sku": st.sampled_from(["EXT-1", "EXT-2", "EXT-3"]), "quantity": st.integers(1, 50),
     "unit_price": st.integers(0, 100_000)},
    optional={"discount": st.integers(0, 1000), "presale": st.booleans(), "external_line_id": some}),
    min_size=1, max_size=3)
bodies = st.fixed_dictionaries(
    {"external_id": present, "currency": st.sampled_from(["CNY", "USD"]),
     "buyer": st.fixed_dictionaries({"name": present}, optional={"phone": some, "email": some, "wechat": some}),
     "shipping_address": st.fixed_dictionaries({"country": st.sampled_from(["CN", "cn", "US"])}, optional={
         "province": some, "city": some, "district": some, "line1": present, "line2": some, "postal_code": some,
         "floor": some}),
     "lines": lines},
    optional={"payment_state": st.sampled_from(["pending", "paid", "refunded", "partially_refunded"]),
              "cancelled": st.booleans(), "presale": st.booleans(), "vip": st.booleans(), "live_room": some,
              "streamer": some, "shipping_fee": st.integers(0, 2000), "order_discount": st.integers(0, 500),
              "placed_at": st.sampled_from(["2026-12-06T10:00:00+08:00", "2026-12-06T02:00:00"]),
              "updated_at": st.sampled_from(["2026-12-06T10:05:00Z", None]), "channel": st.just("shop")})
CODES = {"EXT-1": "TEE-RED-M", "EXT-2": "CAP-BLUE", "EXT-3": "VASE"}


@given(body=bodies, default_country=st.sampled_from([None, "CN"]))
def test_the_validated_order_maps_as_validating_it_again_would(body: dict, default_country: str | None) -> None:
    order = GenericAdapter().parse_webhook({}, json.dumps(body, ensure_ascii=False).encode())[0]
    assert order.validated
    once = to_order_in("shop-1", order, CODES, default_country)
    twice = to_order_in("shop-1", dataclasses.replace(order, validated=False), CODES, default_country)
    assert once == twice and once.model_dump() == twice.model_dump()
    assert once.model_fields_set == twice.model_fields_set
    assert once.buyer.model_fields_set == twice.buyer.model_fields_set
    assert once.shipping_address.model_fields_set == twice.shipping_address.model_fields_set
    assert [line.model_fields_set for line in once.lines] == [line.model_fields_set for line in twice.lines]
    # What the body says of itself reaches the import as it was sent: the VIP mark, each line's presale, the payment
    # state (refunded and partially_refunded included) and the cancellation.
    assert once.vip == body.get("vip", False)
    assert [line.presale for line in once.lines] == [line.get("presale", False) for line in body["lines"]]
    assert once.payment_state == body.get("payment_state", "paid")
    assert once.cancelled == body.get("cancelled", False)
