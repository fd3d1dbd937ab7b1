"""Detail fetches wait for the channel's order pace as they leave (channels.fetched, deps.Pacing.order_pace): the
shared bucket counts a run's tokens when taken and the platform counts arrivals, so the import's detail calls sent
back to back drew a 429 from Taobao's order bucket in a flash sale (bench sync, session 10)."""

from types import SimpleNamespace

import httpx2

from flexhub.channels import fetched
from flexhub.integrations.ratelimit import RateLimit, TokenBucket
from flexhub.integrations.request import ApiRequest
from flexhub.testing.pace import RecordedPace


def test_each_detail_call_takes_the_order_pace_as_it_leaves() -> None:
    events: list[str] = []

    def platform(request: httpx2.Request) -> httpx2.Response:
        events.append("call")
        return httpx2.Response(200, json={})

    fetcher = fetched.Fetcher(
        build=lambda credentials, ids: [ApiRequest("GET", f"https://platform.example/trade?tid={tid}") for tid in ids],
        split=lambda answer: [], read=lambda payload: None)  # type: ignore[arg-type, return-value]
    detail = fetched.Detail("order", lambda adapter: fetcher)
    plenty = TokenBucket(RateLimit(per_second=1000.0, burst=100))  # the shared bucket, taken ahead: plenty
    pace = RecordedPace(events)
    pacing = SimpleNamespace(order_bucket=lambda channel_id, adapter: plenty,
                             order_pace=lambda channel_id, adapter: pace, note_rate_limited=lambda: None)
    fetching = SimpleNamespace(http=httpx2.Client(transport=httpx2.MockTransport(platform)), pacing=pacing)
    channel = SimpleNamespace(channel_id=None, platform="taobao", code="tmall", partner_id=None, settings={})

    got = fetched.fetch(fetching, channel, {}, detail, {None: ("1", "2", "3")})  # type: ignore[arg-type, dict-item]

    assert got.complete
    assert events == ["pace", "call"] * 3  # every call waited for the pace just before it left
