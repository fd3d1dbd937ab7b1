"""Inventory events."""

from dataclasses import dataclass
from typing import Any

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class StockChanged(Event):
    """Levels after a change, one entry per (SKU, location, pool): what channel sync pushes out."""

    levels: list[dict[str, Any]]
    cause: str


@dataclass(frozen=True, kw_only=True)
class ReservationsExpired(Event):
    order_ids: list[str]
