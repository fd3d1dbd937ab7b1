"""Routing commands."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class RouteOrder(Command):
    """Choose the nodes that ship a reserved order and move its reservations there."""

    order_id: str


@dataclass(frozen=True, kw_only=True)
class RerouteOrder(Command):
    """A node short-picked a routed order: route it again without that node."""

    order_id: str
    node: str
    short_skus: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class RouteReservedOrders:
    """Route the reserved orders waiting, VIP first, then oldest first (a system job), `batch` of a tenant's orders
    in one transaction."""

    limit: int = 200
    batch: int = 50


@dataclass(frozen=True, kw_only=True)
class SetRoutingPolicy(Command):
    document: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class RoutingOutcome:
    """What RouteOrder and RerouteOrder answer: the decision stored and where the order stands."""

    decision_id: uuid.UUID
    order_id: uuid.UUID
    outcome: str  # routed | unroutable
    status: str
    nodes: list[str]
    reason: str


@dataclass(frozen=True, kw_only=True)
class PolicySaved:
    """What SetRoutingPolicy answers: the revision stored and the policy as validated (a RoutingPolicy)."""

    revision: int
    policy: Any
