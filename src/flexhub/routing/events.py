"""Routing events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class OrderRouted(Event):
    order_id: str
    decision_id: str
    nodes: list[str]
    split: bool
    trigger: str  # route | reroute


@dataclass(frozen=True, kw_only=True)
class OrderUnroutable(Event):
    order_id: str
    decision_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RoutingPolicyChanged(Event):
    revision: int
