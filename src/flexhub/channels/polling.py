"""Polling: fetch a channel's changed orders window by window, keep each raw, move the cursor.

The cursor (the end of the last window fully read) is saved only after every page of a window is
kept, so a crash re-reads a window rather than skipping one; the import is idempotent.
"""

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx2
import structlog

from flexhub.channels import registry, repository
from flexhub.channels.adapter import ChannelAdapter
from flexhub.channels.capabilities import ORDER_DETAILS, capable
from flexhub.channels.deps import Polling, Storing
from flexhub.channels.receipt import keep_all
from flexhub.integrations.paced import send_paced
from flexhub.integrations.ratelimit import Prepaid, wait_to_take
from flexhub.kernel import clock

log = structlog.get_logger(__name__)
FIRST_LOOK_BACK = timedelta(days=1)  # how far a channel's first poll reaches back
MAX_PAGES = 1000  # per window: a platform that never ends its pages cannot hold the worker forever
THROTTLED_WAITS_S = (0.5, 1.0, 2.0)  # a 429 is tried again after these (or its Retry-After), then fails the poll


def channel_by_code(store: Storing, tenant_id: Any, code: str) -> Any:
    with store.uow(write=False) as uow:
        return repository.channel_by_code(uow.connection, tenant_id, code)


def poll(polling: Polling, channel: Any, client: httpx2.Client, *, since: datetime | None = None,
         until: datetime | None = None) -> int:
    """Read [since, until) (default: from the cursor to now) and keep every order; returns how many."""
    until = until or clock.now()
    since = since or _cursor(polling, channel.id) or until - FIRST_LOOK_BACK
    adapter = registry.adapter_for(channel.platform)
    credentials = polling.vault.open(channel.credentials)
    kept, cursor = 0, None
    bucket = polling.pacing.order_bucket(channel.id, adapter)
    pace = polling.pacing.order_pace(channel.id, adapter)
    for _ in range(MAX_PAGES):
        # A list call is an order call as the details are, on the same platform bucket: it takes its token and waits
        # for the pace as it leaves. Unpaced, it arrived beside a run of detail calls at their pace's full burst and
        # drew a 429 from Taobao's trade bucket in a flash sale (bench sync, session 13).
        wait_to_take(bucket)
        wait_to_take(pace)
        response = _send(client, adapter.orders_request(credentials, since, until, cursor))
        page = adapter.parse_orders_page(response.json(), response.headers)
        orders = _whole_orders(polling, channel.id, adapter, credentials, page.orders, client)
        kept += keep_all(polling, channel, "poll", [json.dumps(payload, ensure_ascii=False) for payload in orders])
        cursor = page.next_cursor
        if not cursor:
            break
    _save_cursor(polling, channel.id, until)
    if kept:
        polling.inbound_arrived.set()
    return kept


def _whole_orders(polling: Polling, channel_id: Any, adapter: ChannelAdapter, credentials: dict, listed: tuple,
                  client: httpx2.Client) -> list[Any]:
    """Platforms whose order lists carry only ids (Shopee, Taobao) are asked for each order's detail."""
    # Douyin and Kuaishou list whole orders and have order details only for the orders pushes name.
    details = capable(adapter, ORDER_DETAILS)
    if not listed or details is None or "external_id" not in listed[0]:
        return list(listed)
    # A flash sale's window holds more orders than the platform takes at once: the calls go as every
    # detail fetch does (integrations/paced.send_paced), on the channel's own bucket, which pushes and the
    # fetches after pushes share, retried on a 429 rather than failing the window (and re-reading it).
    bucket = polling.pacing.order_bucket(channel_id, adapter)
    pace = polling.pacing.order_pace(channel_id, adapter)  # waited for as each call leaves (deps.Pacing)
    orders = []
    requests = details.detail_requests(credentials, [entry["external_id"] for entry in listed])
    with Prepaid(bucket, len(requests)) as prepaid:  # the calls' tokens in one take, not a write each
        for request in requests:
            wait_to_take(pace)
            answer = send_paced(client, request, prepaid, on_rate_limited=polling.pacing.note_rate_limited)
            orders.extend(details.parse_details(answer))
    return orders


def _send(client: httpx2.Client, request: Any) -> httpx2.Response:
    for wait in (*THROTTLED_WAITS_S, None):
        response = client.request(request.method, request.url, headers=request.headers,
                                  params=request.params or None, json=request.json, content=request.content)
        if response.status_code != 429 or wait is None:
            break
        time.sleep(float(response.headers.get("retry-after") or wait))
    response.raise_for_status()
    return response


def backfill(polling: Polling, channel: Any, client: httpx2.Client, since: datetime, until: datetime,
             window: timedelta, advance: Callable[[int], None]) -> int:
    """Poll [since, until) one window at a time, reporting each window done."""
    kept, start = 0, since
    while start < until:
        end = min(start + window, until)
        kept += poll(polling, channel, client, since=start, until=end)
        advance(1)
        start = end
    return kept


def _cursor(polling: Polling, channel_id: Any) -> datetime | None:
    with polling.uow(write=False) as uow:
        return repository.polled_until(uow.connection, channel_id)


def _save_cursor(polling: Polling, channel_id: Any, until: datetime) -> None:
    with polling.uow() as uow:
        repository.advance_poll_cursor(uow.connection, channel_id, until, clock.now())
        uow.commit()


class PollSchedule:
    """Polls every channel whose settings name `poll_every_s`, each at its own pace (the hub's polling job)."""

    def __init__(self, polling: Polling) -> None:
        self._polling = polling
        self._last: dict[Any, float] = {}

    def run_once(self) -> int:
        kept = 0
        for channel in self._due():
            self._last[channel.id] = time.monotonic()
            try:
                kept += poll(self._polling, channel, self._polling.http)
            except Exception as error:  # a platform that refuses one poll is asked again on its next turn
                log.warning("poll failed", channel=channel.code, error=str(error))
        return kept

    def _due(self) -> list[Any]:
        with self._polling.uow(write=False) as uow:
            channels = repository.every_channel(uow.connection)
        now = time.monotonic()
        return [c for c in channels if (every := (c.settings or {}).get("poll_every_s"))
                and now - self._last.get(c.id, 0.0) >= float(every)]
