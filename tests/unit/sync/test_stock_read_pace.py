"""Reads share the channel's pace with pushes as they leave (sync.stock_read): the shared bucket counts a run's
tokens when taken and the platform counts arrivals, so reconciliation's reads sent back to back right after the
first sync's pushes drew 429s (bench sync: 0-2 a run at Shopee and Douyin)."""

from types import SimpleNamespace

import httpx2

from flexhub.channels import ListingRef
from flexhub.channels.adapter import StockRead
from flexhub.integrations.ratelimit import RateLimit, TokenBucket
from flexhub.integrations.request import ApiRequest
from flexhub.sync.stock_read import read_stock
from flexhub.testing.pace import RecordedPace

REFS = [ListingRef(f"SKU-{n}", None, None) for n in range(3)]


def test_each_read_takes_the_pace_as_it_leaves() -> None:
    events: list[str] = []

    def platform(request: httpx2.Request) -> httpx2.Response:
        events.append("call")
        return httpx2.Response(200, json={"sku": request.url.params["sku"], "quantity": 4})

    adapter = SimpleNamespace(
        stock_read_requests=lambda credentials, refs: [
            StockRead(ApiRequest("GET", f"https://platform.example/stock?sku={ref.external_sku}"), (ref,))
            for ref in refs],
        parse_stock=lambda payload, listings: {payload["sku"]: payload["quantity"]})
    bucket = TokenBucket(RateLimit(per_second=1000.0, burst=100))  # the shared bucket, taken ahead: plenty

    reading = read_stock(httpx2.Client(transport=httpx2.MockTransport(platform)), adapter, {}, REFS, bucket,
                         pace=RecordedPace(events))

    assert reading.figures == {"SKU-0": 4, "SKU-1": 4, "SKU-2": 4} and not reading.errors
    assert events == ["pace", "call"] * 3  # every read waited for the pace just before it left
