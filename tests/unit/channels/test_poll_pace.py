"""An order poll's list call takes the channel's order bucket and waits for its order pace as it leaves, as the
detail calls after it do (channels.polling): unpaced, it arrived beside a run of detail calls at their pace's full
burst and drew a 429 from Taobao's trade bucket in a flash sale (bench sync, session 13)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx2
import pytest

from flexhub.channels import polling
from flexhub.testing.pace import RecordedPace


def test_each_list_call_takes_the_order_bucket_and_pace_before_it_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    pages = iter([{"orders": [{"id": "1"}], "next_cursor": "2"}, {"orders": [{"id": "2"}]}])

    def platform(request: httpx2.Request) -> httpx2.Response:
        events.append("call")
        return httpx2.Response(200, json=next(pages))

    taken: list[int] = []

    class Bucket(RecordedPace):  # the order bucket: its takes apart from the pace's
        def take(self, tokens: int = 1) -> bool:
            taken.append(tokens)
            return True

    bucket, pace = Bucket(events), RecordedPace(events)
    pacing = SimpleNamespace(order_bucket=lambda channel_id, adapter: bucket,
                             order_pace=lambda channel_id, adapter: pace, note_rate_limited=lambda: None)
    vault = SimpleNamespace(open=lambda sealed: {"base_url": "https://shop.example", "webhook_secret": "s"})
    hub: Any = SimpleNamespace(pacing=pacing, vault=vault, inbound_arrived=SimpleNamespace(set=lambda: None))
    monkeypatch.setattr(polling, "keep_all", lambda hub, channel, source, payloads: len(payloads))
    monkeypatch.setattr(polling, "_save_cursor", lambda hub, channel_id, until: None)
    channel = SimpleNamespace(id=None, platform="generic", credentials=b"sealed")
    until = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)

    kept = polling.poll(hub, channel, httpx2.Client(transport=httpx2.MockTransport(platform)),
                        since=until - timedelta(minutes=5), until=until)

    assert kept == 2
    assert events == ["pace", "call"] * 2  # the pace just before each page's call
    assert taken == [1, 1]  # and a token of the order bucket each
