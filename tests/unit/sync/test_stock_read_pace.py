"""Reads share the channel's pace with pushes as they leave (sync.stock_read): the shared bucket counts a run's
tokens when taken and the platform counts arrivals, so reconciliation's reads sent back to back right after the
first sync's pushes drew 429s (bench sync: 0-2 a run at Shopee and Douyin)."""

import time
from types import SimpleNamespace

import httpx2

from flexhub.channels import ListingRef
from flexhub.channels.adapter import StockRead
from flexhub.integrations.ratelimit import RateLimit, TokenBucket
from flexhub.integrations.request import ApiRequest
from flexhub.sync.stock_read import read_stock

REFS = [ListingRef(f"SKU-{n}", None, None) for n in range(3)]


def test_reads_wait_for_the_pace_a_push_just_spent() -> None:
    arrivals: list[float] = []

    def platform(request: httpx2.Request) -> httpx2.Response:
        arrivals.append(time.monotonic())
        return httpx2.Response(200, json={"sku": request.url.params["sku"], "quantity": 4})

    adapter = SimpleNamespace(
        stock_read_requests=lambda credentials, refs: [
            StockRead(ApiRequest("GET", f"https://platform.example/stock?sku={ref.external_sku}"), (ref,))
            for ref in refs],
        parse_stock=lambda payload, listings: {payload["sku"]: payload["quantity"]})
    pace = TokenBucket(RateLimit(per_second=20.0, burst=1))
    assert pace.take(1)  # a push left a moment ago: the pace is spent
    bucket = TokenBucket(RateLimit(per_second=1000.0, burst=100))  # the shared bucket thinks there is plenty

    reading = read_stock(httpx2.Client(transport=httpx2.MockTransport(platform)), adapter, {}, REFS, bucket,
                         pace=pace)

    assert reading.figures == {"SKU-0": 4, "SKU-1": 4, "SKU-2": 4} and not reading.errors
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert all(gap >= 0.04 for gap in gaps)  # 20 a second, not back to back
