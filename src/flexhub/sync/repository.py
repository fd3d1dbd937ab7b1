"""Sync's own statements (new ones land here; figures, push and reconcile still hold theirs, test_sql_placement).

Feeds (sync/feeds.py): a submitted bulk document kept with the figures it carries, its listings waiting as
`feeding`, and what its report said when it finished. Rebalancing (sync/rebalance.py): the listings whose quota
may follow sales, and what each sold lately.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, bindparam, case, cast, func, insert, or_, select, update

from flexhub.channels.model import Channel, Listing, Reconciliation, StockDrift, StockFeed, StockPush
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.ordering.model import Order, OrderLine
from flexhub.sync import queries


def keep_feed(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID, external_id: str,
              figures: dict[str, list[Any]], rows: Sequence[Any], at: datetime) -> None:
    """The feed, and its rows waiting on it: only those still carrying the version sent (a newer figure goes its own
    way)."""
    connection.execute(insert(StockFeed).values(
        id=new_id(), tenant_id=tenant_id, channel_id=channel_id, external_id=external_id, state="processing",
        figures=figures, submitted_at=at, accepted=0, refused=0))
    connection.execute(FEEDING, _in_listing_order([{"b_listing": row.listing_id, "b_version": row.version}
                                                 for row in rows]))


def open_feeds(connection: Connection, channel_id: uuid.UUID) -> list[Any]:
    return list(connection.execute(select(StockFeed).where(
        StockFeed.channel_id == channel_id, StockFeed.state == "processing")))


def channels_with_open_feeds(connection: Connection) -> list[tuple[Any, ...]]:
    """(channel id, tenant id, platform, sealed credentials) of every channel with a feed being processed."""
    query = (select(Channel.id, Channel.tenant_id, Channel.platform, Channel.credentials).distinct()
             .join(StockFeed, StockFeed.channel_id == Channel.id).where(StockFeed.state == "processing"))
    return [tuple(row) for row in connection.execute(query)]


def finish_feed(connection: Connection, feed_id: uuid.UUID, *, failed: bool, accepted: int, refused: int,
                error: str | None, at: datetime) -> None:
    connection.execute(update(StockFeed).where(StockFeed.id == feed_id).values(
        state="failed" if failed else "done", finished_at=at, accepted=accepted, refused=refused, error=error))


def refuse_in_feed(connection: Connection, refused: Sequence[tuple[Any, str]], max_attempts: int,
                   next_attempt_at: datetime) -> None:
    """Figures a feed refused go back to the single calls (dead after max_attempts), unless a newer one replaced
    them meanwhile."""
    connection.execute(REFUSED_IN_FEED, _in_listing_order([
        {"b_listing": row.listing_id, "b_error": why, "b_max": max_attempts, "b_next": next_attempt_at}
        for row, why in refused]))


def channel_settings(connection: Connection) -> list[Any]:
    """Every channel's id, tenant, code and settings (its allocation among them)."""
    return list(connection.execute(select(Channel.id, Channel.tenant_id, Channel.code, Channel.settings)))


def listings_that_may_rebalance(connection: Connection, channel_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The listings of these channels, and every listing whose own override names `rebalance`."""
    override = cast(Listing.allocation, String).like('%"rebalance"%')
    query = select(Listing.id, Listing.tenant_id, Listing.channel_id, Listing.sku_id, Listing.external_sku,
                   Listing.allocation).where(or_(Listing.channel_id.in_(list(channel_ids)), override))
    return list(connection.execute(query))


def units_sold_since(connection: Connection, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]],
                     since: datetime) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Units each (channel, SKU) sold in orders taken since `since`."""
    channels = sorted({channel for channel, _ in pairs})
    skus = sorted({sku for _, sku in pairs})
    if not pairs:
        return {}
    query = (select(Order.channel_id, OrderLine.sku_id, func.sum(OrderLine.quantity))
             .join(Order, Order.id == OrderLine.order_id)
             .where(Order.channel_id.in_(channels), OrderLine.sku_id.in_(skus), Order.created_at >= since)
             .group_by(Order.channel_id, OrderLine.sku_id))
    return {(channel, sku): int(units) for channel, sku, units in connection.execute(query)}


def note_read(connection: Connection, figures: dict[uuid.UUID, int], read_at: datetime) -> None:
    """What the platform was read to hold becomes each listing's last-known figure (a difference starts from it)."""
    connection.execute(NOTE_READ, _in_listing_order([{"b_listing": listing, "b_quantity": quantity, "b_at": read_at}
                                                     for listing, quantity in figures.items()]))


def confirm_pushes(connection: Connection, rows: Sequence[Any], sent_at: datetime) -> None:
    """The platform took these figures (sent at `sent_at`): synced, unless a newer figure came meanwhile; then the
    store is behind only since that newer figure, which was decided no earlier than the one sent (`figure_at`)."""
    connection.execute(CONFIRM, _in_listing_order([
        {"b_listing": row.listing_id, "b_quantity": row.quantity, "b_version": row.version, "b_at": sent_at,
         "b_figure_at": row.figure_at} for row in rows]))


def retry_pushes(connection: Connection, tries: Sequence[dict[str, Any]]) -> None:
    """Each figure's next try: {listing, attempts, error, state (pending | dead), next}."""
    connection.execute(RETRY_LATER, _in_listing_order([
        {"b_listing": t["listing"], "b_attempts": t["attempts"], "b_error": t["error"], "b_state": t["state"],
         "b_next": t["next"]} for t in tries]))


def correct_push(connection: Connection, row: Any, platform: int, read_at: datetime, *, requeue: bool) -> None:
    """What the platform holds becomes the listing's last-known figure; a drift goes back to the pusher's queue
    (a new version, due now)."""
    values: dict[str, Any] = {"pushed_quantity": platform, "pushed_at": read_at}
    if requeue:
        values |= {"state": "pending", "version": row.version + 1, "attempts": 0, "next_attempt_at": read_at,
                   "changed_at": read_at, "figure_at": read_at, "last_error": None}
    connection.execute(update(StockPush).where(StockPush.listing_id == row.listing_id).values(**values))


def record_reconciliation(connection: Connection, run: dict[str, Any], drifts: Sequence[dict[str, Any]]) -> None:
    """One reconciliation run (its columns) and the drifts it found (listing, platform and our quantity,
    difference)."""
    connection.execute(insert(Reconciliation).values(**run))
    if drifts:
        connection.execute(insert(StockDrift), [
            {"id": new_id(), "tenant_id": run["tenant_id"], "channel_id": run["channel_id"],
             "reconciliation_id": run["id"], "listing_id": d["listing_id"], "platform_quantity": d["platform_quantity"],
             "our_quantity": d["our_quantity"], "difference": d["difference"], "found_at": run["finished_at"]}
            for d in drifts])


def upsert_figures(connection: Connection, tenant_id: uuid.UUID, figures: dict[uuid.UUID, int],
                   channel_of: dict[uuid.UUID, uuid.UUID], changed_at: datetime | Mapping[uuid.UUID, datetime]) -> int:
    """Each listing's new figure: a row for a new listing, a new version for a moved one (a figure still waiting
    keeps its place in the queue; a new one is due now), or for one its store shows less of than it was given, having
    sold since; unchanged ones untouched. How many changed. `changed_at`:
    when the change it follows from happened, for all or per listing."""
    now = clock.now()
    at = changed_at if isinstance(changed_at, Mapping) else dict.fromkeys(figures, changed_at)
    existing = {row.listing_id: row for row in connection.execute(
        select(StockPush).where(StockPush.listing_id.in_(list(figures))))}
    # A store takes its own sales off the figure it was given: one shown as given, and given again, is below it when
    # the store sold since (a hold released as the store sold its last held units: the figure the same, the store 0).
    sold = queries.sold_since_pushed(connection, [
        listing_id for listing_id, quantity in figures.items() if (row := existing.get(listing_id)) is not None
        and row.quantity == quantity == row.pushed_quantity and row.state == "synced"])
    fresh, moved = [], []
    for listing_id, quantity in sorted(figures.items()):  # in listing order, as _in_listing_order says why
        row = existing.get(listing_id)
        if row is None:
            fresh.append({"listing_id": listing_id, "tenant_id": tenant_id, "channel_id": channel_of[listing_id],
                          "quantity": quantity, "version": 1, "state": "pending", "pushed_quantity": None,
                          "pushed_version": 0, "attempts": 0, "next_attempt_at": now, "changed_at": at[listing_id],
                          "figure_at": at[listing_id]})
        elif row.quantity != quantity or listing_id in sold:
            waiting = row.state == "pending"
            moved.append({"b_listing": listing_id, "b_quantity": quantity, "b_version": row.version + 1,
                          "b_attempts": row.attempts if waiting else 0,
                          "b_changed_at": row.changed_at if waiting else at[listing_id], "b_figure_at": at[listing_id],
                          "b_next_attempt_at": row.next_attempt_at if waiting else now})
    if moved:  # one statement for all (executemany): a flash sale moves every listing of a SKU at once
        connection.execute(MOVE_FIGURE, moved)
    if fresh:
        connection.execute(insert(StockPush), fresh)
    return len(moved) + len(fresh)


def _in_listing_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A write of many push rows takes their locks in the listings' order, the same in every transaction: the planner,
    the pusher's confirmations and retries, a feed's rows and a read's figures each lock several rows of one table, and
    two of them locking in different orders deadlocked (bench sync: a planning turn failed with DeadlockDetected)."""
    return sorted(rows, key=lambda row: row["b_listing"])


NOTE_READ = update(StockPush).where(StockPush.listing_id == bindparam("b_listing")).values(
    pushed_quantity=bindparam("b_quantity"), pushed_at=bindparam("b_at"))
# Synced only if no newer figure arrived while this one was on its way.
CONFIRM = update(StockPush).where(StockPush.listing_id == bindparam("b_listing")).values(
    pushed_quantity=bindparam("b_quantity"), pushed_version=bindparam("b_version"), pushed_at=bindparam("b_at"),
    attempts=0, last_error=None, state=case((StockPush.version == bindparam("b_version"), "synced"), else_="pending"),
    changed_at=case((StockPush.version == bindparam("b_version"), StockPush.changed_at),
                    else_=func.coalesce(bindparam("b_figure_at", type_=StockPush.figure_at.type),
                                        StockPush.changed_at)))
RETRY_LATER = update(StockPush).where(StockPush.listing_id == bindparam("b_listing")).values(
    attempts=bindparam("b_attempts"), last_error=bindparam("b_error"), state=bindparam("b_state"),
    next_attempt_at=bindparam("b_next"))
FEEDING = update(StockPush).where(
    StockPush.listing_id == bindparam("b_listing"), StockPush.version == bindparam("b_version"),
    StockPush.state == "pending").values(state="feeding")
REFUSED_IN_FEED = update(StockPush).where(
    StockPush.listing_id == bindparam("b_listing"), StockPush.state == "feeding").values(
    attempts=StockPush.attempts + 1, last_error=bindparam("b_error"), next_attempt_at=bindparam("b_next"),
    state=case((StockPush.attempts + 1 >= bindparam("b_max"), "dead"), else_="pending"))
MOVE_FIGURE = update(StockPush).where(StockPush.listing_id == bindparam("b_listing")).values(
    quantity=bindparam("b_quantity"), version=bindparam("b_version"), state="pending",
    attempts=bindparam("b_attempts"), changed_at=bindparam("b_changed_at"), figure_at=bindparam("b_figure_at"),
    next_attempt_at=bindparam("b_next_attempt_at"))
