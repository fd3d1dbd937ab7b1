"""The contract every channel adapter meets, as reusable checks for each platform's contract test.

A platform test calls these with its adapter, real sample payloads and signature vectors:

    check_protocol(adapter)  # the core protocol, and the optional capabilities it declares
    check_order(adapter.parse_order(sample))
    check_webhook_signature(adapter, credentials, headers, body, signature_header)
    check_stock_requests(adapter, credentials)
    check_stock_reads(adapter, credentials, refs)
"""

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import unquote_plus

import pytest

from flexhub.channels.adapter import CHANNEL_STATUSES, ChannelAdapter, ChannelOrder, ListingRef, StockPush, StockRead
from flexhub.channels.capabilities import CAPABILITIES
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_IDS = 70_000_000  # far from any quantity the checks push, so an item id is never mistaken for one


def check_protocol(adapter: ChannelAdapter) -> None:
    assert isinstance(adapter, ChannelAdapter)
    assert SNAKE.match(adapter.platform)
    assert adapter.credential_fields and all(SNAKE.match(f) for f in adapter.credential_fields)
    assert adapter.rate_limit.per_second > 0 and adapter.rate_limit.burst >= 1
    assert adapter.rate_limit.stock_batch >= 1
    assert isinstance(adapter.stock_by_difference, bool)
    check_capabilities(adapter)


def check_capabilities(adapter: ChannelAdapter) -> None:
    """Every capability the adapter declares it implements, and every one it implements it declares: the hub asks
    the declaration (capabilities.capable), so a method left undeclared would never be called."""
    known = {capability.name for capability in CAPABILITIES}
    assert adapter.capabilities <= known, f"unknown capabilities: {sorted(adapter.capabilities - known)}"
    for capability in CAPABILITIES:
        implemented = isinstance(adapter, capability.protocol)
        if capability.name in adapter.capabilities:
            assert implemented, f"declares {capability.name} but lacks what {capability.protocol.__name__} has"
        else:
            assert not implemented, f"implements {capability.protocol.__name__} but does not declare {capability.name}"


def check_order(order: ChannelOrder) -> None:
    assert order.external_id and isinstance(order.external_id, str)
    assert order.status in CHANNEL_STATUSES, order.status
    assert re.fullmatch(r"[A-Z]{3}", order.currency), order.currency
    assert order.lines, "an order has lines"
    for line in order.lines:
        assert line.external_sku and isinstance(line.external_sku, str)
        assert isinstance(line.quantity, int) and line.quantity > 0
        assert isinstance(line.unit_price, int) and line.unit_price >= 0
        assert isinstance(line.discount, int) and line.discount >= 0
    assert isinstance(order.shipping_fee, int) and isinstance(order.order_discount, int)
    for moment in (order.placed_at, order.updated_at):
        assert moment is None or (isinstance(moment, datetime) and moment.tzinfo is not None)
    assert isinstance(order.buyer, dict) and isinstance(order.shipping_address, dict)
    country = order.shipping_address.get("country")
    assert country is None or re.fullmatch(r"[A-Z]{2}", country), country


def check_webhook_signature(
    adapter: ChannelAdapter, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> None:
    """Accepts the signed body; refuses a changed body, a changed signature and a missing one."""
    adapter.verify_webhook(credentials, headers, body)
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook(credentials, headers, body + b" ")
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook({**credentials, **{k: v + "x" for k, v in credentials.items() if "secret" in k
                                                  or "key" in k}}, headers, body)
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook(credentials, {}, body)


def check_stock_requests(adapter: ChannelAdapter, credentials: Mapping[str, str], listings: int | None = None) -> None:
    """Every listing is in exactly one request, and no request carries more than the platform allows.
    By default more listings than two of the platform's batches, so a missing split shows."""
    batch = adapter.rate_limit.stock_batch
    listings = max(45, 2 * batch + 1) if listings is None else listings
    pushes = [StockPush(f"SKU-{n}", n, external_item_id=str(ITEM_IDS + n), location_id="1", previous_quantity=n + 1,
                        idempotency_key=f"k-{n}") for n in range(listings)]
    requests = adapter.stock_requests(credentials, pushes)
    assert requests and all(isinstance(r, ApiRequest) for r in requests)
    for request in requests:
        assert request.method in ("GET", "POST", "PUT", "PATCH"), request.method
        assert request.url.startswith(("https://", "http://")), request.url
    carried = [listings_named(request, pushes) for request in requests]
    for push in pushes:
        holding = sum(push.external_sku in named for named in carried)
        assert holding == 1, f"{push.external_sku} is in {holding} requests, not exactly one"
    for request, named in zip(requests, carried, strict=True):
        assert len(named) <= batch, f"a request to {request.url} carries {len(named)} listings, more than {batch}"


def listings_named(request: ApiRequest, pushes: Sequence[StockPush]) -> set[str]:
    """The listings (by external SKU) a request names, by its SKU or its item id, wherever the platform puts them:
    path, query, form or JSON body. A name counts only as a whole word, so SKU-1 is not found inside SKU-10,
    nor an item id inside SKU-70000001, a timestamp or a signature."""
    text = request_text(request)
    return {push.external_sku for push in pushes
            if any(_word(name).search(text) for name in (push.external_sku, push.external_item_id) if name)}


def request_text(request: ApiRequest) -> str:
    parts = [request.url, *(f"{k}={v}" for k, v in request.params.items())]
    if request.json is not None:
        parts.append(json.dumps(request.json, ensure_ascii=False))
    if request.content:
        parts.append(request.content.decode("utf-8", errors="replace"))
    return "\n".join(unquote_plus(part) for part in parts)


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def check_stock_reads(adapter: ChannelAdapter, credentials: Mapping[str, str], refs: list[ListingRef]) -> list:
    """Every listing is read by exactly one request, and each read names only listings it was given."""
    reads = adapter.stock_read_requests(credentials, refs)
    assert reads and all(isinstance(read, StockRead) and isinstance(read.request, ApiRequest) for read in reads)
    covered = [ref for read in reads for ref in read.listings]
    assert sorted(covered, key=repr) == sorted(refs, key=repr)
    for read in reads:
        assert read.request.method in ("GET", "POST")
        assert read.request.url.startswith(("https://", "http://"))
    return reads
