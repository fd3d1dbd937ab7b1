"""Alert commands."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class RaiseAlerts:
    """Compare every tenant's stock with its forecast; raise and clear alerts (a system job)."""

    review_days: int = 7
    excess_days: float = 90.0


EVERY_S = 15 * 60.0  # forecasts move by the day; a quarter of an hour catches a receipt or a sell-out soon enough


@dataclass(frozen=True, kw_only=True)
class AlertsRaised:
    """What RaiseAlerts answers: alerts raised and cleared across tenants."""

    raised: int = 0
    cleared: int = 0
