"""The public face of flexhub.alerts: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.alerts.commands import AlertsRaised, RaiseAlerts
from flexhub.alerts.events import AlertCleared, AlertRaised
from flexhub.alerts.queries import list_alerts

__all__ = ["AlertCleared", "AlertRaised", "AlertsRaised", "RaiseAlerts", "list_alerts"]
