"""Forecasts per SKU × node × channel, reconciled so that every level adds up.

The SKU × node forecast (the level with the most history, where the model and the events apply) is shared among
the channels that sold the SKU there, top-down by their share of its sales in the history: a channel's day is
`share × the event uplift its channel gets that day`, and each day's shares are then scaled so the channels sum
to the node's forecast exactly (sales imported without a channel keep a share of their own, `channel: None`).
Above SKU × node the levels are sums (bottom-up): a SKU's total is its nodes', a node's total its SKUs'. So a
channel's, a node's and a SKU's figures always add up, whatever the events do."""

import uuid
from collections.abc import Sequence
from datetime import date

import numpy as np

from flexhub.planning import EventEffect
from flexhub.replenishment.history import DemandHistory

Channel = uuid.UUID | None  # None: sales that named no channel


def shares(history: DemandHistory, row: int) -> dict[Channel, float]:
    """Each channel's share of the series' sales over the history (the unattributed rest under None)."""
    sku_id, location_id = history.keys[row]
    total = float(history.sold[row].sum())
    if total <= 0:
        return {None: 1.0}
    found: dict[Channel, float] = {}
    for (sku, location, channel_id), units in history.by_channel.items():
        if (sku, location) == (sku_id, location_id) and units.sum() > 0:
            found[channel_id] = float(units.sum()) / total
    rest = 1.0 - sum(found.values())
    if rest > 1e-9:
        found[None] = rest
    return found


def split(history: DemandHistory, row: int, daily: np.ndarray, events: Sequence[EventEffect],
          first: date) -> dict[Channel, np.ndarray]:
    """The series' daily forecast (from `first`) shared among its channels; the parts sum to `daily` each day."""
    sku_id = history.keys[row][0]
    days = len(daily)
    parts: dict[Channel, np.ndarray] = {}
    for channel_id, share in shares(history, row).items():
        weight = np.full(days, share)
        for event in events:
            if sku_id not in event.sku_ids or not (channel_id in event.channel_ids or not event.channel_ids):
                continue
            start, stop = max((event.starts_on - first).days, 0), min((event.ends_on - first).days + 1, days)
            if stop > start:
                weight[start:stop] *= event.uplift
        parts[channel_id] = weight
    total = np.sum(list(parts.values()), axis=0)
    return {channel_id: np.where(total > 0, daily * weight / np.where(total > 0, total, 1.0), 0.0)
            for channel_id, weight in parts.items()}
