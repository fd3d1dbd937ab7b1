"""The order lane reads a body as the route does (`api.order_lane.order_in`): whatever JSON an order's fields hold,
it takes the order the route's `json.loads` and validation take, and refuses what they refuse (the route then
answers it with its own code). The lane reads a body known storable with pydantic's JSON parser, not json.loads."""

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from flexhub.api.order_lane import order_in
from flexhub.ordering.schemas import OrderIn
from flexhub.testing.builders import order_body

FIELDS = (*OrderIn.model_fields, "extra")
PLACES = (
    *((name,) for name in FIELDS),
    *(("buyer", name) for name in ("name", "phone", "email", "external_id", "extra")),
    *(("shipping_address", name) for name in ("country", "province", "line1", "postal_code", "extra")),
    *(("lines", 0, name) for name in ("sku", "quantity", "unit_price", "discount", "presale", "extra")),
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6) | st.sampled_from(
    ["paid", "reject", "backorder", "CNY", "cn", "2026-12-06T10:00:00+08:00", "2026-12-06", "1", "true", "\x00",
     "TEE-RED-M", ""])
SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.sampled_from([0, 1, 2, 2**31, -1])
           | st.floats() | st.sampled_from([1.0, 2.5, 1e400, 9900.0]) | TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=6)


def route_reads(body: bytes) -> OrderIn | None:
    """What FastAPI's route does with the body: json.loads, then the model in Python mode."""
    try:
        return OrderIn.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        return None


def placed(place: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = order_body()
    *path, last = place
    held: Any = body
    for step in path:
        held = held[step]
    held[last] = value
    return body


@settings(max_examples=300, deadline=None)
@given(place=st.sampled_from(PLACES), value=VALUES, ascii_only=st.booleans(), repeated=st.none() | VALUES)
def test_the_lane_takes_the_order_the_route_takes_and_refuses_what_it_refuses(
        place: tuple[Any, ...], value: Any, ascii_only: bool, repeated: Any) -> None:
    text = json.dumps(placed(place, value), ensure_ascii=ascii_only)
    if repeated is not None:  # the same key twice: the last one counts, for both readers
        text = f'{text[:-1]}, {json.dumps(place[0])}: {json.dumps(repeated, ensure_ascii=ascii_only)}}}'
    body = text.encode()

    lane, route = order_in(body), route_reads(body)

    assert (lane is None) == (route is None)
    assert repr(lane) == repr(route)  # repr: a NaN among the extras is equal to itself there
