"""The public face of flexhub.replenishment: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.replenishment.queries import forecast_for, plan, position_of, suggestions
from flexhub.replenishment.repository import positions
from flexhub.replenishment.rules import stockout_date

__all__ = ["forecast_for", "plan", "position_of", "positions", "stockout_date", "suggestions"]
