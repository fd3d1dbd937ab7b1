"""Demand history per SKU × node × day (and per channel), read from the hub's own records.

Demand is what orders reserved (still reserved, or since shipped), dated by when the order was
placed, at the node that holds its stock; bundles count as their components. Returns net it on
the day they come back. A day is censored — its demand unknown, not zero — when the node ended it
out of stock, or began it out of stock and sold nothing: the forecasts skip those days.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection

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
        censored days."""
        started = np.cumsum(self.sold > 0, axis=1) > 0
        return np.where(started & ~self.censored, np.maximum(self.net, 0.0), np.nan)

    def row(self, key: Key) -> int | None:
        return self.keys.index(key) if key in self.keys else None


def read_history(connection: Connection, tenant_id: uuid.UUID, *, today: date, days: int = 365) -> DemandHistory:
    """The `days` whole days before `today` (UTC), every SKU × node that sold or moved stock in them."""
    start = today - timedelta(days=days)
    since = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    demand = repository.demand_rows(connection, tenant_id, since)
    movements = [m for m in repository.movement_rows(connection, tenant_id, since) if _day(m.created_at, start) < days]
    opening = repository.available_before(connection, tenant_id, since)
    keys = sorted({(r.sku_id, r.location_id) for r in demand} | {(m.sku_id, m.location_id) for m in movements},
                  key=str)
    row = {key: i for i, key in enumerate(keys)}
    sold = np.zeros((len(keys), days))
    channels: dict[tuple, np.ndarray] = defaultdict(lambda: np.zeros(days))
    for r in demand:
        d = _day(r.placed_at, start)
        if d < days:
            sold[row[(r.sku_id, r.location_id)], d] += r.quantity
            channels[(r.sku_id, r.location_id, r.channel_id)][d] += r.quantity
    returned, change = np.zeros_like(sold), np.zeros_like(sold)
    for m in movements:
        i, d = row[(m.sku_id, m.location_id)], _day(m.created_at, start)
        change[i, d] += m.on_hand_delta - m.reserved_delta
        if m.kind == "return":
            returned[i, d] += m.on_hand_delta
    opened = np.array([opening.get(key, 0) for key in keys], dtype=float)
    return DemandHistory(start, keys, sold, returned, _censored(opened, change, sold), dict(channels))


def _censored(opening: np.ndarray, change: np.ndarray, sold: np.ndarray) -> np.ndarray:
    end = opening[:, None] + np.cumsum(change, axis=1)
    begin = np.concatenate([opening[:, None], end[:, :-1]], axis=1)
    return (end <= 0) | ((begin <= 0) & (sold == 0))


def _day(at: datetime, start: date) -> int:
    return (at.astimezone(UTC).date() - start).days
