"""A shop with a history to plan from, for the learned forecast's tests: six tees at WH-CENTRAL (lead time 3 days),
each selling its level × the weekday, five times as much on shopping days; TEE-HOT holds 240 units, the others
plenty. The history is imported through the API, ending the day before TODAY."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import numpy as np

from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over
from flexhub.testing.clocks import MovableClock

HISTORY = "/api/v1/planning/history"
TODAY = datetime(2025, 11, 4, 12, 0, tzinfo=UTC)  # a week before Double 11
LEVELS = {"TEE-1": 4, "TEE-2": 6, "TEE-3": 9, "TEE-4": 12, "TEE-5": 16, "TEE-HOT": 20}
SHOPPING = {date(2024, 11, 11), date(2024, 12, 12), date(2025, 3, 8), date(2025, 6, 18)}
WEEK = (0.9, 0.9, 0.95, 1.0, 1.1, 1.15, 1.0)


def shop_with(database_url: str, clock: MovableClock, days: int, **settings: object) -> Iterator[Api]:
    """The shop with `days` of history before TODAY (the clock is set to TODAY)."""
    clock.at = TODAY
    with api_over(database_url, **settings) as api:
        admin = api.tenant.admin
        builders.create_location(api.hub, admin, "WH-CENTRAL")
        rng = np.random.default_rng(19)
        lines = []
        for sku, level in LEVELS.items():
            builders.create_sku(api.hub, admin, sku, attributes={"lead_time_days": 3})
            builders.receive(api.hub, admin, sku, "WH-CENTRAL", 240 if sku == "TEE-HOT" else 5000)
            for back in range(1, days + 1):
                day = TODAY.date() - timedelta(days=back)
                rate = level * WEEK[day.weekday()] * (5 if day in SHOPPING else 1)
                lines.append({"sku": sku, "location": "WH-CENTRAL", "day": day.isoformat(),
                              "units": int(rng.poisson(rate))})
        api.post(HISTORY, {"days": lines})
        yield api
