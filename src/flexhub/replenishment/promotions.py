"""What the event calendar (planning's campaigns and live-room sessions) does to a forecast: on an event's days its
SKUs sell `uplift` times their usual demand, through the share of each SKU × node's sales its channels carry. The
days of past events are left out of the history a forecast learns the usual demand from."""

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from flexhub.planning import EventEffect, blended_uplift
from flexhub.replenishment.history import DemandHistory


def multipliers(history: DemandHistory, events: Sequence[EventEffect], first: date, days: int) -> np.ndarray:
    """(series, days) from `first`: what each series' usual demand is multiplied by on each day (1: no event)."""
    found = np.ones((len(history.keys), days))
    for event in events:
        start = max((event.starts_on - first).days, 0)
        stop = min((event.ends_on - first).days + 1, days)
        if stop <= start:
            continue
        for row, (sku_id, _) in enumerate(history.keys):
            if sku_id in event.sku_ids:
                found[row, start:stop] *= blended_uplift(event.uplift, _share(history, row, event))
    return found


def without_event_days(history: DemandHistory, events: Sequence[EventEffect]) -> np.ndarray:
    """The demand forecasts read, with the days an event moved left unobserved (nan): they are not usual days."""
    demand = history.demand()
    moved = multipliers(history, events, history.start, history.days) != 1.0
    return np.where(moved, np.nan, demand)


def horizon_days(today: date, horizon: int) -> tuple[date, date]:
    return today, today + timedelta(days=horizon - 1)


def _share(history: DemandHistory, row: int, event: EventEffect) -> float:
    """The share of the series' sales its event's channels carried (all of it when the event names none)."""
    if not event.channel_ids:
        return 1.0
    sku_id, location_id = history.keys[row]
    total = float(history.sold[row].sum())
    through = sum(float(history.by_channel[(sku_id, location_id, channel_id)].sum())
                  for channel_id in event.channel_ids if (sku_id, location_id, channel_id) in history.by_channel)
    return through / total if total > 0 else 0.0
