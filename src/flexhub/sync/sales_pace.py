"""How fast each SKU sells, as the stock planner reads it (sync.figures): from how far its sellable figure fell from
one planning to the next, in memory, with no query on the order tables."""

import uuid
from collections import defaultdict, deque
from datetime import datetime

from flexhub.kernel import clock
from flexhub.sync.allocation import HoldBack

Pace = tuple[float, float]  # a SKU's units sold a second, and the orders waiting to be imported likely its


class SalesPace:
    """How fast each SKU sells, from how far its sellable figure fell from one planning to the next (receipts, which
    raise it, are not sales): its falls within HoldBack.sales_window_s over the time since the first of them, no
    less than HoldBack.window_s."""

    def __init__(self, hold: HoldBack) -> None:
        self._hold = hold
        self._last: dict[tuple, int] = {}
        self.behind = (0.0, 0)  # seconds and orders the hub is behind on the channels', set before each planning
        self._falls: dict[tuple, deque[tuple[datetime, int]]] = defaultdict(deque)

    def pace(self, key: tuple, units: int, now: datetime | None = None) -> Pace:
        """`key` is (tenant, SKU, pools): its units sold a second, and the orders waiting to be imported likely its.
        Those are laid on the tenant's SKUs by their part of its sales in the long window (every one on each, when it
        has none yet), only while the hub is behind by more than HoldBack.behind_s."""
        now = now or clock.now()
        last, self._last[key] = self._last.get(key), units
        if last is not None and units < last:
            self._falls[key].append((now, last - units))
        lately = self._sold(key, now)
        falls = self._falls[key]
        since = (now - falls[0][0]).total_seconds() if falls else 0.0
        span = min(max(since, self._hold.window_s), self._hold.sales_window_s)
        per_second = lately / span if span > 0 else 0.0
        behind_s, waiting = self.behind
        if behind_s <= self._hold.behind_s or waiting <= 0:
            return per_second, 0.0
        everything = sum(self._sold(other, now) for other in list(self._falls) if other[0] == key[0])
        # Twice its part, as the mix of a spike's waiting orders is not the mix of those already read.
        return per_second, waiting * min(1.0, 2 * lately / everything if everything else 1.0)

    def moving(self, tenant_id: uuid.UUID, now: datetime | None = None) -> set[uuid.UUID]:
        """The tenant's SKUs seen to sell within HoldBack.sales_window_s (by their last fall: no count, no pruning)."""
        now = now or clock.now()
        return {key[1] for key, falls in self._falls.items() if key[0] == tenant_id and falls
                and (now - falls[-1][0]).total_seconds() <= self._hold.sales_window_s}

    def _sold(self, key: tuple, now: datetime) -> int:
        falls = self._falls[key]
        while falls and (now - falls[0][0]).total_seconds() > self._hold.sales_window_s:
            falls.popleft()
        return sum(units for _, units in falls)
