"""`bench sync`'s sale announced ahead, as a brand's operator announces a live room's flash sale: a planning event
posted to the hub's API (POST /api/v1/planning/events) with the times the buyers will start and are expected to
finish and the units each SKU is expected to sell, `announce_s` before they start. The hub's slow stores then hold
back ahead of it (sync/announced.py). The default lead is the one the slowest store needs: its sale round
(sync_floor.sale_round_s) times the hub's FLEXHUB_HOLD_BACK_LEAD_ROUNDS, plus FLEXHUB_HOLD_BACK_LEAD_S and MARGIN_S.
"""

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2

from flexhub.identity.commands import CreateApiKey
from flexhub.sandbox.stage import Stage
from flexhub.settings import Settings

EVENTS = "/api/v1/planning/events"
MARGIN_S = 5.0  # past the slowest store's lead, so its hold has begun when the buyers come
DISCOUNT_PERCENT = 30  # what the event says the sale does for the forecasts (the sync reads its times and units)


@dataclass(frozen=True, slots=True)
class Announced:
    event_id: str
    announced_at: datetime
    starts_at: datetime
    ends_at: datetime
    units_per_sku: int

    def report(self) -> dict[str, Any]:
        return {"announced": True, "announce_s": round((self.starts_at - self.announced_at).total_seconds(), 1),
                "sale_starts_at": self.starts_at.isoformat(), "sale_ends_at": self.ends_at.isoformat(),
                "sale_expected_s": round((self.ends_at - self.starts_at).total_seconds(), 1),
                "units_per_sku_announced": self.units_per_sku}


def default_announce_s(sale_rounds_s: Iterable[float], settings: Settings | None = None) -> float:
    """Long enough ahead for the slowest store's hold to begin: its round x the lead's rounds, the lead's seconds and
    a margin."""
    settings = settings or Settings()
    slowest = max(sale_rounds_s, default=0.0)
    return round(slowest * settings.hold_back_lead_rounds + settings.hold_back_lead_s + MARGIN_S, 1)


def announce(stage: Stage, skus: list[str], *, orders: int, mean_rate: float, ahead_s: float) -> Announced:
    """The sale posted as an operator would: starting `ahead_s` from now, lasting the orders at the buyers' mean rate,
    `orders / SKUs` units a SKU (rounded up)."""
    token = stage.hub.handle(CreateApiKey(actor=stage.admin, role="operator", name="bench-sync-announce")).token
    now = datetime.now(UTC)
    starts = now + timedelta(seconds=ahead_s)
    ends = starts + timedelta(seconds=orders / mean_rate)
    units = math.ceil(orders / len(skus))
    body = {"name": "bench sync flash sale", "kind": "live_room", "skus": skus, "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(), "units_per_sku": units, "discount_percent": DISCOUNT_PERCENT}
    response = httpx2.post(f"{stage.market.hub_url}{EVENTS}", json=body, timeout=30.0,
                           headers={"authorization": f"Bearer {token}"})
    if response.status_code != 201:
        raise RuntimeError(f"the hub refused the sale's announcement: {response.status_code} {response.text[:500]}")
    return Announced(response.json()["id"], now, starts, ends, units)


def held_at_the_start(initial: Mapping[str, int], shown: Iterable[Any], started: float) -> dict[str, int]:
    """Units each store showed less than the hub had when the sale started (every SKU at `initial` then): the last
    figure each of its listings received before the start, against the stock; `shown` as sync_figures.Received."""
    last: dict[tuple[str, str], tuple[float, int]] = {}
    stores: set[str] = set()
    for figure in shown:
        stores.add(figure.store)
        if figure.at < started and figure.at >= last.get((figure.store, figure.sku), (float("-inf"), 0))[0]:
            last[(figure.store, figure.sku)] = (figure.at, figure.quantity)
    return {store: sum(max(0, initial[sku] - quantity) for (held_at, sku), (_, quantity) in last.items()
                       if held_at == store and sku in initial) for store in sorted(stores)}


def wait_for_the_start(announced: Announced) -> None:
    time.sleep(max(0.0, announced.starts_at.timestamp() - time.time()))
