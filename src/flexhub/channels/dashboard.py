"""Channel figures for the dashboard: each store's state, backlog, rate-limit use, dead letters, sync lag,
allocation policy (and the latest changes to it) and the drift reconciliation found. Given a partner, each figure
covers its own channels only."""

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from flexhub.channels import queries
from flexhub.kernel import clock

RECENT_DRIFT = 50  # drift rows the page lists
RECENT_CHANGES = 20  # allocation changes the page lists


def channel_page(connection: Connection, tenant_id: uuid.UUID, pusher: Any = None, *,
                 partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Everything the channels page shows; `pusher` (the hub's StockPusher) tells each bucket's use."""
    channels = channel_overview(connection, tenant_id, partner_id)
    reconciled = queries.last_reconciliations(connection, tenant_id, partner_id)
    overrides = queries.allocation_overrides(connection, tenant_id)
    for channel in channels:
        channel["rate_limit_use"] = pusher.budget_use(channel["id"]) if pusher is not None else None
        channel["reconciliation"] = reconciled.get(channel["code"])
        channel["allocation_overrides"] = overrides.get(channel["id"], 0)
    mine = None if partner_id is None else [c["code"] for c in channels]
    return {"channels": channels, "lag": sync_lag_ms(connection, tenant_id, partner_id),
            "drift": queries.drift_found(connection, tenant_id, limit=RECENT_DRIFT, partner_id=partner_id),
            "allocation_changes": queries.allocation_changes(connection, tenant_id, limit=RECENT_CHANGES,
                                                             channels=mine)}


def channel_overview(connection: Connection, tenant_id: uuid.UUID,
                     partner_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    channels = queries.channels_of(connection, tenant_id, partner_id)
    pushes = queries.push_states(connection, tenant_id)
    backlog = queries.channels_of_pending_messages(connection, tenant_id)
    exceptions = queries.channels_of_open_exceptions(connection, tenant_id)
    states: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for channel_id, state in pushes:
        states[channel_id][state] += 1
    return [{
        "id": c.id, "code": c.code, "platform": c.platform, "name": c.name, "pools": c.pools,
        "listings_synced": states[c.id]["synced"],
        "listings_waiting": states[c.id]["pending"] + states[c.id]["feeding"],
        "dead_letters": states[c.id]["dead"], "inbound_backlog": backlog.count(c.id),
        "open_exceptions": exceptions.count(c.id), "allocation": queries.channel_policy(c.settings),
    } for c in channels]


def sync_lag_ms(connection: Connection, tenant_id: uuid.UUID,
                partner_id: uuid.UUID | None = None) -> dict[str, float | None]:
    """p50/p99 of decided → confirmed for recent pushes, and the age of the oldest waiting figure."""
    rows = queries.push_timings(connection, tenant_id, partner_id)
    done = sorted((clock.as_utc(p) - clock.as_utc(c)).total_seconds() * 1000 for s, c, p in rows
                  if s == "synced" and p is not None and p >= c)
    waiting = [(clock.now() - clock.as_utc(c)).total_seconds() * 1000 for s, c, _ in rows
               if s in ("pending", "feeding")]
    return {"p50": _quantile(done, 0.5), "p99": _quantile(done, 0.99), "oldest_waiting": max(waiting, default=None)}


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)
