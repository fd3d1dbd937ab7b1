"""Sync out, second half: send each channel its listings' waiting figures, paced and retried.

Per channel a token bucket kept in the database (shared by every process) holds the platform's documented
rate; waiting rows go in batches as large as the platform takes, the most urgent first (push_calls.urgency: a figure
near zero below what the store shows, or one the store is selling; then any below what it shows; then the bulk), so a
turn whose budget runs out leaves the restocks waiting, not the sell-outs. A 2xx confirms
the figures sent; 429 and 5xx come back later (after `Retry-After` when given, else exponential back-off); after
`max_attempts` a row becomes a dead letter, shown in the API, until someone retries it. No database transaction is
open while sending.
Each channel's turn takes at most what its platform's budget can send in one turn (`turn_caps`), so one channel's
thousands of first figures never keep the others' out of a turn, and waits for its bucket to refill for up to
`TURN_S` before leaving the rest to the next turn, so the figures read for it are sent rather than read again.
A turn takes the tokens its calls may need from the bucket in one go and gives back what it did not spend
(`Allowance`): on SQLite every take is a write, and a take per call kept a busy day's turns waiting seconds for the
write lock.
A platform that processes many figures in one feed (Amazon, capability stock_feeds) gets its bulk that way once
enough wait that are not urgent (sync/feeds.py); the urgent ones still go one call each, up to the feed's threshold
of them (more join the feed).
A channel's first figures are read from the store first where reading takes fewer calls than pushing (first_read:
Amazon's 20 SKUs a read against one a patch), and only those it shows differently are pushed.
A platform that takes only differences (Kuaishou) has its figure read first (stock_read, as
reconciliation reads it) whenever we do not know it for sure: before a listing's first push, and
after a failed one; the difference is then pushed from what the platform really holds.
The buckets and paces are sync/channel_pacing.py's.
"""

import math
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, Protocol

import httpx2
import structlog
from sqlalchemy import Engine

from flexhub.channels import (
    STOCK_FEEDS,
    ListingRef,
    StockFeeds,
    adapter_for,
    capable,
)
from flexhub.db.jobs import SharedBucket
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.integrations.paced import retry_after
from flexhub.integrations.ratelimit import Allowance, TokenBucket, wait_to_take
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock, metrics
from flexhub.sync import queries, repository
from flexhub.sync.channel_pacing import ChannelPacing
from flexhub.sync.feeds import FeedCallFailed, FeedSender
from flexhub.sync.first_read import read_first_figures
from flexhub.sync.pacing import TURN_S, turn_caps
from flexhub.sync.push_calls import by_item, item_of, push_of, refusal, urgent, urgent_first
from flexhub.sync.stock_read import read_stock

log = structlog.get_logger(__name__)
CHANNELS_AT_ONCE = 16
FORCE_AFTER = 1  # tries with the compare before a figure is set without it
BACK_OFF_S = 0.5  # 1 s, 2 s, 4 s... after a transport error or an HTTP error without Retry-After
REFUSED_BACK_OFF_S = 0.1  # 0.2 s, 0.4 s, 0.8 s... after a 2xx whose body refuses


class PushingDesk(Protocol):
    """What the stock pusher uses: units of work, the vault that opens a channel's credentials, and the engine the
    channels' shared rate-limit buckets live in (bootstrap.Hub has them all)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def vault(self) -> Vault: ...

    def uow(self, *, write: bool = True) -> UnitOfWork: ...


class StockPusher(ChannelPacing):
    def __init__(self, desk: PushingDesk, *, client: httpx2.Client | None = None, max_attempts: int = 8,
                 on_confirmed: Callable[[list[Any]], None] | None = None) -> None:
        super().__init__(desk)
        self._desk = desk
        self._client = client or httpx2.Client(timeout=10.0)
        self._max_attempts = max_attempts
        self._feeds = FeedSender(desk.uow, self._client)
        # Listings of a batch the platform refused in its answer (Douyin's batch is all or none): tried one by one
        # until each goes through, so one wrong listing does not hold its neighbours back to their dead letters.
        self._alone: set[uuid.UUID] = set()
        self._on_confirmed = on_confirmed
        self._channels = ThreadPoolExecutor(max_workers=CHANNELS_AT_ONCE, thread_name_prefix="stock-push")
        # One turn of a channel at a time in this process, whoever runs it (its lane, run_once from a command).
        self._turning: dict[uuid.UUID, threading.Lock] = {}
        self.wake = threading.Event()  # set it to push now (bootstrap makes it the push job's wake-up)
        # Whether this process still holds the stock-push lease (bootstrap sets it): checked before every send, so
        # a pusher whose lease ran out (paused past it) stops before another takes over, and a difference
        # (Kuaishou) is never sent by two pushers at once.
        self.holds_lease: Callable[[], bool] = lambda: True

    def run_once(self, limit: int = 2000) -> int:
        """Send what is due now, one turn of every channel side by side, at most `limit` figures a channel; returns
        how many listings were confirmed. The push job runs the channels in lanes instead (sync/lanes.py); this is
        for a command that sends what waits before it ends, and for tests."""
        return sum(self._channels.map(lambda due: self._push_channel(*due), self._due(limit).items()))

    def push_channel(self, channel_id: uuid.UUID, limit: int = 2000) -> int | None:
        """One turn of one channel (what its lane runs): how many listings were confirmed; None when nothing was
        due and no feed of it is open."""
        due = self._due(limit, channel_id)
        return None if not due else sum(self._push_channel(*channel) for channel in due.items())

    def channels_due(self) -> set[uuid.UUID]:
        """Channels with a figure due now or a feed open (one to follow though nothing waits)."""
        with self._desk.uow(write=False) as uow:
            due = queries.channels_due(uow.connection, clock.now())
            following = repository.channels_with_open_feeds(uow.connection)
        return {*due, *(channel[0] for channel in following)}

    def _due(self, limit: int, channel_id: uuid.UUID | None = None) -> dict[Any, list[Any]]:
        """Waiting rows by channel (of one channel when given), and every channel with a feed open (to follow it
        though nothing waits)."""
        with self._desk.uow(write=False) as uow:
            rows = queries.due_pushes(uow.connection, clock.now(), turn_caps(limit), limit, channel_id)
            following = repository.channels_with_open_feeds(uow.connection)
        by_channel: dict[Any, list[Any]] = defaultdict(list)
        for row in rows:
            by_channel[(row.channel_id, row.tenant_id, row.platform, row.credentials)].append(row)
        for channel in following:
            if channel_id is None or channel[0] == channel_id:
                by_channel.setdefault(channel, [])  # nothing waits, but a feed is open
        return by_channel

    def _push_channel(self, channel: tuple, rows: list[Any]) -> int:
        with self._counting:
            turning = self._turning.setdefault(channel[0], threading.Lock())
        with turning:  # a turn of a channel never overlaps another of the same channel
            return self._channel_turn(channel, rows)

    def _channel_turn(self, channel: tuple, rows: list[Any]) -> int:
        channel_id, tenant_id, platform, sealed = channel
        adapter = adapter_for(platform)
        bucket = self.bucket(channel_id, adapter)
        credentials = self._desk.vault.open(sealed)
        rows = self._first_read(adapter, credentials, bucket, rows)
        feeds = capable(adapter, STOCK_FEEDS)
        if feeds is not None:
            self._follow_feeds(feeds, credentials, channel_id)
            rows = self._feed_bulk(feeds, credentials, tenant_id, channel_id, rows)
        if adapter.stock_by_difference:
            rows = self._read_first(adapter, credentials, bucket, rows)
        rows = urgent_first(rows)  # the store's sales since weighed in (push_calls.urgency)
        if adapter.rate_limit.stock_batch > 1:
            rows = by_item(rows)  # an item's waiting SKUs in one call (push_calls.by_item)
        sent: list[Any] = []
        started = clock.now()
        allowance = Allowance(bucket, until=time.monotonic() + TURN_S)
        try:
            self._send_turn(adapter, credentials, allowance, self.pace(channel_id, adapter), rows=list(rows),
                            size=adapter.rate_limit.stock_batch, capacity=bucket.capacity, sent=sent)
        finally:
            allowance.close()  # what the turn took and did not spend goes back to the channel's bucket
        if sent:  # one transaction for the channel's turn; a crash before it only sends these again
            self._confirm(sent, started)
        return len(sent)

    def _send_turn(self, adapter: Any, credentials: dict[str, str], allowance: Allowance, pace: TokenBucket, *,
                   rows: list[Any], size: int, capacity: float, sent: list[Any]) -> None:
        """Send `rows` in batches of `size` while the turn's allowance lasts (a bucket of `capacity`); what the
        platform took goes into `sent`. A 429 ends the turn: the platform counts more than we did."""
        by_difference, waiting = adapter.stock_by_difference, rows
        while waiting:
            # A batch being tried again goes without compares: one stale listing refuses a whole call.
            # A difference cannot go without one: its figure was read again instead (_read_first).
            batch, waiting = self._next_batch(waiting, size)
            forced = not by_difference and any(row.attempts >= FORCE_AFTER for row in batch)
            batch, requests = self._expressible(adapter, credentials, batch, forced)
            if len(requests) > capacity and len(batch) > 1:
                # More calls than the bucket ever holds (WooCommerce: a call per parent product of variations) would
                # wait for ever: fewer listings at a time instead.
                size, waiting = max(1, len(batch) * int(capacity) // len(requests)), batch + waiting
                continue
            if not batch:
                continue
            # What the rest of the turn may spend, at this batch's calls per listing: taken in one go, not per call.
            needed = len(requests) + math.ceil(len(waiting) * len(requests) / len(batch))
            if not self.holds_lease() or not allowance.spend(len(requests), needed):
                break  # the lease is gone, or this channel's budget is spent for this turn: the rest waits
            failure = self._send(adapter, requests, pace)
            metrics.STOCK_PUSHES.labels("sent" if failure is None else "failed").inc(len(batch))
            if failure is None:
                sent.extend(batch)
                self._alone.difference_update(row.listing_id for row in batch)
                continue
            if failure[2] == REFUSED_BACK_OFF_S and len(batch) > 1 and forced:
                # Refused though sent without compares: one listing in it is wrong (Douyin's batch is all or none).
                # A batch refused with compares (Shopify's CHANGE_FROM_QUANTITY_STALE: a sale there not imported yet)
                # goes whole again without them; split, its 200 listings went one a call for the rest of the sale.
                self._alone.update(row.listing_id for row in batch)
            self._retry_later(batch, *failure)
            if failure[0].startswith("HTTP 429"):
                pace.take_up_to(int(pace.capacity))  # the next calls wait for the pace to refill
                break

    def _next_batch(self, waiting: list[Any], size: int) -> tuple[list[Any], list[Any]]:
        """The next batch in order: as many as the platform takes, ending with a whole item where one fits (its SKUs
        go in one call, not in two batches' calls), but a listing to be tried alone goes alone."""
        alone = next((n for n, row in enumerate(waiting[:size]) if row.listing_id in self._alone), None)
        cut = size if alone is None else max(1, alone)
        if alone is None and 0 < cut < len(waiting):
            item, start = item_of(waiting[cut]), cut
            while start > 0 and item_of(waiting[start - 1]) == item:
                start -= 1
            cut = start or cut  # an item larger than a batch is cut where the batch is full
        return waiting[:cut], waiting[cut:]

    def _feed_bulk(self, feeds: StockFeeds, credentials: dict[str, str], tenant_id: uuid.UUID,
                   channel_id: uuid.UUID, rows: list[Any]) -> list[Any]:
        """Enough waiting figures that are not urgent go as one feed; the rows left for single calls. Urgent figures go
        by single calls, the most urgent and oldest `feed_threshold` of them (what those calls send in about a feed's
        processing time); more join the feed, which takes them sooner: a first sync of 2,000 listings showing 1 unit
        each (every first figure near zero is urgent) went as 2,000 patches, 444 s at Amazon's 5/s, not one feed."""
        ranked = urgent_first(rows)
        single = {row.listing_id for row in [row for row in ranked if urgent(row)][:feeds.feed_threshold]}
        bulk = [row for row in ranked if row.listing_id not in single][:feeds.feed_limit]
        if len(bulk) < feeds.feed_threshold or not self.holds_lease():
            return rows
        if not self.feed_bucket(channel_id, feeds).take(1):
            return rows  # the platform's feed quota is spent for now: single calls meanwhile
        try:
            self._feeds.submit(feeds, credentials, tenant_id, channel_id, bulk, [push_of(row, True) for row in bulk])
        except FeedCallFailed as error:
            log.warning("stock feed not sent", error=str(error), figures=len(bulk))
            return rows
        fed = {row.listing_id for row in bulk}
        return [row for row in rows if row.listing_id not in fed]

    def _follow_feeds(self, feeds: StockFeeds, credentials: dict[str, str], channel_id: uuid.UUID) -> None:
        for outcome in self._feeds.follow(feeds, credentials, channel_id):
            if outcome.confirmed:
                self._confirm(outcome.confirmed, outcome.sent_at)
            if outcome.refused:
                with self._desk.uow() as uow:
                    repository.refuse_in_feed(uow.connection, outcome.refused, self._max_attempts,
                                              clock.now() + timedelta(seconds=BACK_OFF_S))
                    uow.commit()
                metrics.STOCK_PUSHES.labels("failed").inc(len(outcome.refused))

    def _expressible(self, adapter: Any, credentials: dict[str, str], batch: list[Any],
                     forced: bool) -> tuple[list[Any], list[ApiRequest]]:
        """The batch's requests; a listing the adapter cannot express (no item id, say) is parked as a dead letter
        on its own, and the others still go, rather than the whole batch parked with it."""
        try:
            return batch, adapter.stock_requests(credentials, [push_of(row, forced) for row in batch])
        except Exception:  # which listing it was is found below, one at a time
            pass
        kept = []
        for row in batch:
            try:
                adapter.stock_requests(credentials, [push_of(row, forced)])
                kept.append(row)
            except Exception as error:
                self._retry_later([row], f"cannot build the request: {error}", None, give_up=True)
        try:
            return kept, (adapter.stock_requests(credentials, [push_of(row, forced) for row in kept]) if kept else [])
        except Exception as error:  # each alone was fine, together not: none can be sent as they stand
            self._retry_later(kept, f"cannot build the request: {error}", None, give_up=True)
            return [], []

    def _first_read(self, adapter: Any, credentials: dict[str, str], bucket: SharedBucket,
                    rows: list[Any]) -> list[Any]:
        """First figures read from the store where that takes fewer calls (first_read): those it shows already are
        confirmed as of the read, the rest pushed from what it holds."""
        if not rows:
            return rows
        found = read_first_figures(self._client, adapter, credentials, rows, bucket,
                                   self.pace(rows[0].channel_id, adapter), self.note_rate_limited)
        if found.read:
            read_at = clock.now()
            with self._desk.uow() as uow:
                repository.note_read(uow.connection, found.read, read_at)
                uow.commit()
            if found.shown:
                self._confirm(found.shown, read_at)
        return found.rows

    def _read_first(self, adapter: Any, credentials: dict[str, str], bucket: SharedBucket,
                    rows: list[Any]) -> list[Any]:
        """Rows whose platform figure we do not know for sure, with it read; unread ones wait their turn."""
        unsure = [row for row in rows if row.pushed_quantity is None or row.attempts > 0]
        if not unsure:
            return rows
        refs = [ListingRef(row.external_sku, row.external_item_id, row.external_location_id) for row in unsure]
        reading = read_stock(self._client, adapter, credentials, refs, bucket,
                             pace=self.pace(unsure[0].channel_id, adapter), on_rate_limited=self.note_rate_limited)
        read_at, known = clock.now(), reading.figures
        with self._desk.uow() as uow:
            repository.note_read(uow.connection, {row.listing_id: known[row.external_sku] for row in unsure
                                                  if row.external_sku in known}, read_at)
            uow.commit()
        unread = [row for row in unsure if row.external_sku not in known]
        if unread:
            self._retry_later(unread, "cannot read the figure a difference starts from: "
                              + ("; ".join(reading.errors) or "the platform did not answer for it"), None, BACK_OFF_S)
        fresh = {row.listing_id: SimpleNamespace(**{**row._asdict(), "pushed_quantity": known[row.external_sku],
                                                    "sold_since": 0})
                 for row in unsure if row.external_sku in known}
        waiting = {row.listing_id for row in unread}
        return [fresh.get(row.listing_id, row) for row in rows if row.listing_id not in waiting]

    def _send(self, adapter: Any, requests: list[ApiRequest],
              pace: TokenBucket) -> tuple[str, float | None, float] | None:
        """None when every request was taken; else (error, Retry-After, the back-off's first step). Each call waits
        for the channel's pace as it leaves (see `pace`)."""
        for request in requests:
            wait_to_take(pace)
            try:
                response = self._client.request(request.method, request.url, headers=request.headers,
                                                params=request.params or None, json=request.json,
                                                content=request.content)
            except httpx2.HTTPError as error:
                return f"{type(error).__name__}: {error}", None, BACK_OFF_S
            if response.status_code == 429:
                self.note_rate_limited()
            if response.status_code >= 300:
                return f"HTTP {response.status_code}: {response.text[:200]}", retry_after(response), BACK_OFF_S
            refused = refusal(adapter, response)
            if refused:  # soon: most are a sale the hub imports in a moment (see _push)
                return refused, None, REFUSED_BACK_OFF_S
        return None

    def _confirm(self, batch: list[Any], sent_at: Any) -> None:
        # pushed_at is when the figures left: a sale imported after that is one the store took off them.
        with self._desk.uow() as uow:
            repository.confirm_pushes(uow.connection, batch, sent_at)
            uow.commit()
        if self._on_confirmed:
            self._on_confirmed(batch)

    def _retry_later(self, batch: list[Any], error: str, retry_after: float | None, back_off: float = 0.0,
                     give_up: bool = False) -> None:
        now, tries = clock.now(), []
        for row in batch:
            attempts = row.attempts + 1
            wait = retry_after if retry_after is not None else min(300.0, back_off * 2 ** attempts)
            tries.append({"listing": row.listing_id, "attempts": attempts, "error": error,
                          "state": "dead" if give_up or attempts >= self._max_attempts else "pending",
                          "next": now + timedelta(seconds=wait)})
        with self._desk.uow() as uow:
            repository.retry_pushes(uow.connection, tries)
            uow.commit()
        log.warning("stock push failed", error=error, listings=len(batch))
