"""Reconciliation: read each listing's stock back from its platform, record drift, correct it.

Per channel, on a schedule (`ReconcileSchedule`, a job) and on demand (API, CLI): the figures are
read with the adapter's own stock-read calls (stock_read), outside any transaction, paced by the
channel's token bucket that the pusher also uses. Then, in one transaction, each is judged against
the figure the listing should show (`judge`, pure). A drift is recorded (platform figure, ours, the
difference, when) and corrected through the pusher's own path: the listing's push row goes back to
pending with what the platform really holds as its last-known figure, so compare-and-set and
difference APIs start from the truth. A listing whose figure moved a moment ago is not judged: a
sale the platform took off may not be imported yet, and pushing ours over it would show units that
are gone.
"""

import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx2
import structlog

from flexhub.channels import ListingRef, Pacing, Storing, adapter_for
from flexhub.identity import audit
from flexhub.integrations.ratelimit import Bucket
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.sync import queries, repository
from flexhub.sync.stock_read import read_stock

log = structlog.get_logger(__name__)


class StockPacing(Pacing, Protocol):
    """The channels' shared buckets, and the pusher's wake-up: a drift found goes back out at once."""

    @property
    def wake(self) -> threading.Event: ...

    def pace(self, channel_id: uuid.UUID, adapter: Any) -> Bucket: ...


class Interval(Protocol):
    reconcile_interval_s: float  # how often a channel without its own `reconcile_every_s` is reconciled


class Reconciling(Storing, Protocol):
    """What reconciliation uses: units of work, the HTTP client, the vault, the channels' pacing, its interval."""

    @property
    def http(self) -> httpx2.Client: ...

    @property
    def vault(self) -> Vault: ...

    @property
    def pacing(self) -> StockPacing: ...

    @property
    def settings(self) -> Interval: ...
WAITING = ("pending", "feeding")  # a push is due, or in a feed the platform is processing
SETTLE_S = 5.0  # a figure decided or confirmed this recently is still settling: not judged
CHANNELS_AT_ONCE = 16  # channels are independent (their own hosts and limits): read side by side, as pushes go
JOB_ACTOR = "job:reconcile"


def judge(platform: int, ours: int, state: str, moved_at: datetime, now: datetime,
          settle_s: float = SETTLE_S) -> str:
    """in_sync | drift | waiting (a push is due: the correction is on its way) | settling | dead."""
    if platform == ours:
        return "in_sync"
    if state in WAITING:
        return "waiting"
    if (now - moved_at).total_seconds() < settle_s:
        return "settling"
    return "dead" if state == "dead" else "drift"


def reconcile_channel(reconciling: Reconciling, channel: Any, actor: Actor, *, trigger: str = "request",
                      settle_s: float = SETTLE_S) -> dict[str, Any]:
    """Read, judge, record and correct one channel's listings; returns what was found."""
    started = clock.now()
    listings = _listings(reconciling, channel)
    adapter = adapter_for(channel.platform)
    refs = [ListingRef(row.external_sku, row.external_item_id, row.external_location_id) for row in listings]
    pacing = reconciling.pacing
    reading = read_stock(reconciling.http, adapter, reconciling.vault.open(channel.credentials), refs,
                         pacing.bucket(channel.id, adapter), pace=pacing.pace(channel.id, adapter),
                         on_rate_limited=pacing.note_rate_limited)
    read_at = clock.now()
    with reconciling.uow() as uow:
        found = _judge_and_correct(uow, channel, listings, reading.figures, read_at, settle_s)
        summary = _record(uow, channel, actor, trigger, started, found, len(listings) - len(reading.figures),
                          reading.errors)
        uow.commit()
    if found["drifts"]:
        reconciling.pacing.wake.set()
    log.info("reconciled", channel=channel.code, drifted=summary["drifted"], unread=summary["unread"])
    return summary


def _listings(store: Storing, channel: Any) -> list[Any]:
    with store.uow(write=False) as uow:
        return queries.channel_listings(uow.connection, channel.tenant_id, channel.id)


def _judge_and_correct(uow: Any, channel: Any, listings: list[Any], figures: dict[str, int], read_at: datetime,
                       settle_s: float) -> dict[str, Any]:
    rows = queries.channel_pushes(uow.connection, channel.tenant_id, channel.id)
    drifts, verdicts = [], {}
    for listing in listings:
        row, platform = rows.get(listing.id), figures.get(listing.external_sku)
        if row is None or platform is None:
            continue  # not planned yet, or not answered for: nothing to compare
        moved_at = max(row.changed_at, row.pushed_at or row.changed_at)
        verdict = judge(platform, row.quantity, row.state, moved_at, read_at, settle_s)
        verdicts[listing.external_sku] = verdict
        if verdict in ("drift", "dead", "waiting"):
            repository.correct_push(uow.connection, row, platform, read_at, requeue=verdict == "drift")
        if verdict in ("drift", "dead"):
            drifts.append({"listing_id": listing.id, "external_sku": listing.external_sku,
                           "platform_quantity": platform, "our_quantity": row.quantity,
                           "difference": platform - row.quantity})
    return {"drifts": drifts, "verdicts": verdicts}


def _record(uow: Any, channel: Any, actor: Actor, trigger: str, started: datetime, found: dict[str, Any],
            unread: int, errors: list[str]) -> dict[str, Any]:
    run_id, finished = new_id(), clock.now()
    drifts = found["drifts"]
    units = sum(abs(d["difference"]) for d in drifts)
    repository.record_reconciliation(uow.connection, {
        "id": run_id, "tenant_id": channel.tenant_id, "channel_id": channel.id, "trigger": trigger,
        "started_at": started, "finished_at": finished, "listings_read": len(found["verdicts"]),
        "drifted": len(drifts), "units": units, "unread": unread, "error": "; ".join(errors)[:4000] or None}, drifts)
    audit.record(uow, actor, audit.Audited("channel.reconcile", "channel", channel.id, {
        "trigger": trigger, "drifted": len(drifts), "units": units, "unread": unread}))
    return {"id": str(run_id), "channel": channel.code, "trigger": trigger, "started_at": started,
            "finished_at": finished, "listings_read": len(found["verdicts"]), "drifted": len(drifts),
            "units": units, "unread": unread, "errors": errors,
            "drifts": [{k: v for k, v in d.items() if k != "listing_id"} for d in drifts],
            "verdicts": found["verdicts"]}


def reconcile_channels(reconciling: Reconciling, channels: Sequence[Any], *, trigger: str = "schedule",
                       settle_s: float = SETTLE_S) -> list[dict[str, Any] | None]:
    """Reconcile several channels side by side, each as its tenant's job actor; None for one that failed (logged),
    which does not stop the others."""
    def one(channel: Any) -> dict[str, Any] | None:
        actor = Actor(tenant_id=channel.tenant_id, role="admin", name=JOB_ACTOR)
        try:
            return reconcile_channel(reconciling, channel, actor, trigger=trigger, settle_s=settle_s)
        except Exception:
            log.exception("reconciliation failed", channel=channel.code)
            return None

    if not channels:
        return []
    with ThreadPoolExecutor(max_workers=min(CHANNELS_AT_ONCE, len(channels)),
                            thread_name_prefix="reconcile") as pool:
        return list(pool.map(one, channels))


class ReconcileSchedule:
    """Reconciles every channel whose last reconciliation is older than its interval: the channel's
    `settings["reconcile_every_s"]`, else the hub's `reconcile_interval_s` (0 turns it off)."""

    def __init__(self, reconciling: Reconciling) -> None:
        self._reconciling = reconciling

    def run_once(self) -> int:
        return sum(found is not None for found in reconcile_channels(self._reconciling, self._due()))

    def _due(self) -> list[Any]:
        now, default = clock.now(), self._reconciling.settings.reconcile_interval_s
        with self._reconciling.uow(write=False) as uow:
            rows = queries.channels_last_reconciled(uow.connection)
        due = []
        for row in rows:  # a new channel's first run comes one interval after it was created
            every = float((row.settings or {}).get("reconcile_every_s", default))
            since = clock.as_utc(row.at or row.created_at)
            if every > 0 and row.credentials and now - since >= timedelta(seconds=every):
                due.append(row)
        return due
