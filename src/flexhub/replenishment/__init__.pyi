"""The public face of flexhub.replenishment: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.replenishment.preallocation import carry_out as carry_out_preallocation
from flexhub.replenishment.preallocation import preallocation
from flexhub.replenishment.queries import (
    channel_forecast,
    forecast_by_node,
    forecast_for,
    plan,
    position_of,
    suggestions,
)
from flexhub.replenishment.repository import positions
from flexhub.replenishment.rules import stockout_date

__all__ = ["carry_out_preallocation", "channel_forecast", "forecast_by_node", "forecast_for", "plan", "position_of",
           "positions", "preallocation", "stockout_date", "suggestions"]
