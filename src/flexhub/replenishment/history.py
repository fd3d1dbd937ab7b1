"""Demand history per SKU × node × day (and per channel), read from the hub's own records.

Demand is what orders reserved (still reserved, or since shipped), dated by when the order was
placed, at the node that holds its stock; bundles count as their components. Returns net it on
the day they come back. Sales history imported from before the hub (planning's) adds its units to
the same days. A day is censored — its demand unknown, not zero — when the node ended it out of
stock, or began it out of stock and sold nothing, by the ledger (from the first day the ledger knows
that SKU at that node: before it, stock is the old system's and unknown), or when the import says
the node ran out: the forecasts skip those days.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection

from flexhub import planning
from flexhub.replenishment import repository

Key = tuple[uuid.UUID, uuid.UUID]  # (SKU, node)


@dataclass(frozen=True)
class DemandHistory:
    start: date
    keys: list[Key]
    sold: np.ndarray  # (series, days) units ordered
    returned: np.ndarray  # (series, days) units returned
    censored: np.ndarray  # (series, days) out of stock: demand unknown
    by_channel: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], np.ndarray] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return self.sold.shape[1]

    @property
    def net(self) -> np.ndarray:
        return self.sold - self.returned

    def demand(self) -> np.ndarray:
        """What forecasts read: net demand (never below zero), nan before the first sale and on
        censored days. A series with no day observed at all (it sold out every day it sold) keeps the
        days it sold on, as the least it would have sold: a SKU that sold out is not forecast to sell
        nothing."""
        started = np.cumsum(self.sold > 0, axis=1) > 0
        observed = started & ~self.censored
        unseen = ~observed.any(axis=1, keepdims=True)
        return np.where(observed | (unseen & (self.sold > 0)), np.maximum(self.net, 0.0), np.nan)

    def row(self, key: Key) -> int | None:
        return self.keys.index(key) if key in self.keys else None


def read_history(connection: Connection, tenant_id: uuid.UUID, *, today: date, days: int = 365) -> DemandHistory:
    """The `days` whole days before `today` (UTC), every SKU × node that sold or moved stock in them."""
    start = today - timedelta(days=days)
    since = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    demand = [(r.sku_id, r.location_id, r.channel_id, _day(r.placed_at, start), r.quantity)
              for r in repository.demand_rows(connection, tenant_id, since)]
    imported = [r for r in planning.imported_sales(connection, tenant_id, start) if (r.day - start).days < days]
    demand += [(r.sku_id, r.location_id, r.channel_id, (r.day - start).days, r.units) for r in imported]
    movements = [m for m in repository.movement_rows(connection, tenant_id, since) if _day(m.created_at, start) < days]
    opening = repository.available_before(connection, tenant_id, since)
    keys = sorted({(sku, node) for sku, node, *_ in demand} | {(m.sku_id, m.location_id) for m in movements}, key=str)
    row = {key: i for i, key in enumerate(keys)}
    sold = np.zeros((len(keys), days))
    channels: dict[tuple, np.ndarray] = defaultdict(lambda: np.zeros(days))
    for sku_id, location_id, channel_id, d, quantity in demand:
        if d < days:
            sold[row[(sku_id, location_id)], d] += quantity
            if channel_id is not None:
                channels[(sku_id, location_id, channel_id)][d] += quantity
    returned, change = np.zeros_like(sold), np.zeros_like(sold)
    known = np.full(len(keys), days)  # the first day the ledger knows each series
    for key in opening:
        if key in row:
            known[row[key]] = 0
    for m in movements:
        i, d = row[(m.sku_id, m.location_id)], _day(m.created_at, start)
        known[i] = min(known[i], d)
        change[i, d] += m.on_hand_delta - m.reserved_delta
        if m.kind == "return":
            returned[i, d] += m.on_hand_delta
    opened = np.array([opening.get(key, 0) for key in keys], dtype=float)
    censored = _censored(opened, change, sold) & (np.arange(days)[None, :] >= known[:, None])
    for r in imported:
        if r.stocked_out:
            censored[row[(r.sku_id, r.location_id)], (r.day - start).days] = True
    return DemandHistory(start, keys, sold, returned, censored, dict(channels))


def _censored(opening: np.ndarray, change: np.ndarray, sold: np.ndarray) -> np.ndarray:
    end = opening[:, None] + np.cumsum(change, axis=1)
    begin = np.concatenate([opening[:, None], end[:, :-1]], axis=1)
    return (end <= 0) | ((begin <= 0) & (sold == 0))


def _day(at: datetime, start: date) -> int:
    return (at.astimezone(UTC).date() - start).days
