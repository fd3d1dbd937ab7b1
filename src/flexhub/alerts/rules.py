"""Pure alert decisions: which conditions hold for a SKU at a node, and what changed since the last run."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flexhub.replenishment.rules import stockout_date

KINDS = ("stockout", "excess")
EXCESS_COVER_DAYS = 90  # more than a quarter's demand in one place


@dataclass(frozen=True, slots=True)
class Condition:
    sku_id: Any
    location_id: Any
    kind: str
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[Any, Any, str]:
        return (self.sku_id, self.location_id, self.kind)


def conditions(sku_id: Any, location_id: Any, *, position: int, daily: Sequence[float], protect_days: int,
               today: date, excess_days: float = EXCESS_COVER_DAYS) -> list[Condition]:
    """Stock-out: the forecast uses up the position within `protect_days` (lead time + review period).
    Excess: the position covers more than `excess_days` of the average forecast day (and some demand exists)."""
    found = []
    out = stockout_date(position, list(daily)[:protect_days], today)
    if out is not None:
        found.append(Condition(sku_id, location_id, "stockout", {
            "position": position, "projected_stockout": out.isoformat(), "within_days": protect_days}))
    mean = sum(daily) / len(daily) if daily else 0.0
    cover = position / mean if mean > 0 else math.inf
    if mean > 0 and cover > excess_days:
        found.append(Condition(sku_id, location_id, "excess", {
            "position": position, "cover_days": round(cover, 1), "threshold_days": excess_days}))
    return found


def changes(open_keys: Iterable[tuple], current: Iterable[Condition]) -> tuple[list[Condition], list[tuple]]:
    """(conditions newly true, keys of open alerts no longer true): a run where nothing changed gives ([], [])."""
    held = set(open_keys)
    now = {c.key: c for c in current}
    raised = [c for key, c in sorted(now.items(), key=lambda kv: str(kv[0])) if key not in held]
    cleared = sorted((key for key in held if key not in now), key=str)
    return raised, cleared
