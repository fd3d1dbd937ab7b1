"""Sync out in bulk: a channel's many waiting figures as one feed the platform processes later (stock_feeds).

When more figures wait than the single calls would send soon (the adapter's `feed_threshold`: a first sync, a full
refresh), the pusher hands the ones that are not urgent to `submit`: the feed's steps are sent, the feed is kept
(channel_stock_feeds, with each figure's listing, quantity and version) and its listings wait as `feeding`, so no
other turn sends them again. `follow` asks the platform where each open feed stands, no more than every
FOLLOW_EVERY_S; a finished one's report confirms each figure it took (as a single call's 2xx would: synced if no
newer figure came meanwhile, else pending again, so the newer one goes after the feed) and sends refused ones back to
the pusher's retries. A feed the platform failed as a whole, or one never finished within GIVE_UP_AFTER, sends all
its figures back. A crash between the platform taking a feed and it being kept only sends those figures again.
"""

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx2
import structlog

from flexhub.channels import StockFeeds, StockPush
from flexhub.kernel import clock, metrics
from flexhub.sync import repository

log = structlog.get_logger(__name__)
FOLLOW_EVERY_S = 2.0  # getFeed allows 2/s (burst 15); once every 2 s per open feed leaves room for many
GIVE_UP_AFTER = timedelta(hours=2)  # Amazon processes a feed in minutes; one silent this long is lost


class FeedCallFailed(Exception):
    """A step answered with an error, or not at all: what it said."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What a finished feed sent at `sent_at` did: figures to confirm, figures to try again with why. Each figure
    as the pusher's rows carry it (listing_id, quantity, version, external_sku)."""

    sent_at: datetime
    confirmed: list[Any]
    refused: list[tuple[Any, str]]
    failure: str | None = None  # the feed failed as a whole (cancelled, fatal, never finished): why


class FeedSender:
    def __init__(self, uow: Callable[..., Any], client: httpx2.Client) -> None:
        self._uow = uow
        self._client = client
        self._followed: dict[uuid.UUID, float] = {}  # feed → when this process last asked about it

    def submit(self, adapter: StockFeeds, credentials: dict[str, str], tenant_id: uuid.UUID,
               channel_id: uuid.UUID, rows: Sequence[Any], pushes: Sequence[StockPush]) -> str:
        """Send one feed of these rows' figures (rows[i] is pushes[i]) and keep it; the platform's feed id.

        Raises FeedCallFailed (nothing kept: the rows stay pending) when a step fails."""
        reserved = self._json(adapter.feed_document_request(credentials))
        self._send(adapter.feed_upload_request(credentials, reserved, pushes))
        feed_id = adapter.feed_id(self._json(adapter.create_feed_request(credentials, reserved)))
        figures = {push.external_sku: [str(row.listing_id), push.quantity, row.version]
                   for row, push in zip(rows, pushes, strict=True)}
        with self._uow() as uow:
            repository.keep_feed(uow.connection, tenant_id, channel_id, feed_id, figures, rows, clock.now())
            uow.commit()
        metrics.STOCK_PUSHES.labels("fed").inc(len(rows))
        log.info("stock feed submitted", feed=feed_id, figures=len(rows))
        return feed_id

    def follow(self, adapter: StockFeeds, credentials: dict[str, str], channel_id: uuid.UUID) -> list[FeedOutcome]:
        """Ask about this channel's open feeds (each at most every FOLLOW_EVERY_S); what the finished ones did."""
        with self._uow(write=False) as uow:
            feeds = repository.open_feeds(uow.connection, channel_id)
        finished = []
        for feed in feeds:
            if time.monotonic() - self._followed.get(feed.id, float("-inf")) < FOLLOW_EVERY_S:
                continue
            self._followed[feed.id] = time.monotonic()
            try:
                outcome = self._outcome(adapter, credentials, feed)
            except (FeedCallFailed, ValueError, KeyError) as error:
                log.warning("stock feed not read", feed=feed.external_id, error=str(error))
                continue  # asked again next time
            if outcome is None:
                continue
            self._finish(feed, outcome)
            self._followed.pop(feed.id, None)
            finished.append(outcome)
        return finished

    def _outcome(self, adapter: StockFeeds, credentials: dict[str, str], feed: Any) -> FeedOutcome | None:
        # figure_at is not kept with a feed: a figure moved meanwhile keeps its first unconfirmed change's time.
        sent = [SimpleNamespace(listing_id=uuid.UUID(listing), quantity=quantity, version=version, external_sku=sku,
                                figure_at=None) for sku, (listing, quantity, version) in feed.figures.items()]
        progress = adapter.feed_progress(self._json(adapter.feed_status_request(credentials, feed.external_id)))
        if not progress.finished:
            if clock.now() - feed.submitted_at > GIVE_UP_AFTER:
                return _failed(feed, sent, f"unfinished after {GIVE_UP_AFTER}")
            return None
        if progress.failure or progress.result_document_id is None:
            why = progress.failure or "the feed finished without a processing report"
            return _failed(feed, sent, why)
        answer = self._json(adapter.result_document_request(credentials, progress.result_document_id))
        report = adapter.feed_report(answer, self._send(adapter.result_download_request(answer)).content)
        results = adapter.feed_results(report, [row.external_sku for row in sent])
        return FeedOutcome(feed.submitted_at, [row for row in sent if results[row.external_sku].accepted],
                           [(row, "; ".join(results[row.external_sku].errors)) for row in sent
                            if not results[row.external_sku].accepted])

    def _finish(self, feed: Any, outcome: FeedOutcome) -> None:
        with self._uow() as uow:
            repository.finish_feed(uow.connection, feed.id, failed=outcome.failure is not None,
                                   accepted=len(outcome.confirmed), refused=len(outcome.refused), error=outcome.failure,
                                   at=clock.now())
            uow.commit()
        log.info("stock feed finished", feed=feed.external_id, accepted=len(outcome.confirmed),
                 refused=len(outcome.refused))

    def _json(self, request: Any) -> Any:
        try:
            return self._send(request).json()
        except ValueError as error:
            raise FeedCallFailed(f"unreadable answer: {error}") from error

    def _send(self, request: Any) -> httpx2.Response:
        try:
            response = self._client.request(request.method, request.url, headers=request.headers,
                                            params=request.params or None, json=request.json, content=request.content)
        except httpx2.HTTPError as error:
            raise FeedCallFailed(f"{type(error).__name__}: {error}") from error
        if response.status_code >= 300:
            raise FeedCallFailed(f"HTTP {response.status_code}: {response.text[:200]}")
        return response


def _failed(feed: Any, sent: list[Any], why: str) -> FeedOutcome:
    """Every figure of a feed the platform did not process back to the single calls, with why."""
    reason = f"feed {feed.external_id}: {why}"
    return FeedOutcome(feed.submitted_at, [], [(row, reason) for row in sent], failure=reason)
