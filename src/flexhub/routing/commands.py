"""Routing commands."""

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
    """Route the reserved orders waiting, VIP first, then oldest first (a system job)."""

    limit: int = 200


@dataclass(frozen=True, kw_only=True)
class SetRoutingPolicy(Command):
    document: dict[str, Any]
