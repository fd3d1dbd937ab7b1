"""Alert events: written to the outbox only when an alert appears or clears."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class AlertRaised(Event):
    alert_id: str
    kind: str
    sku: str
    location: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class AlertCleared(Event):
    alert_id: str
    kind: str
    sku: str
    location: str
