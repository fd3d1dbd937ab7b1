"""The public face of flexhub.routing: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.kernel.addresses import PICKUP_KEY
from flexhub.routing.commands import (
    PolicySaved,
    RerouteOrder,
    RouteOrder,
    RouteReservedOrders,
    RoutingOutcome,
    SetRoutingPolicy,
)
from flexhub.routing.errors import AwaitingPayment, InvalidPolicy, NoDecision, UnknownNode
from flexhub.routing.events import OrderRouted, OrderUnroutable, RoutingPolicyChanged
from flexhub.routing.places import AtlasPlaces
from flexhub.routing.promise import Promise, promise

__all__ = [
    "AtlasPlaces", "AwaitingPayment", "InvalidPolicy", "NoDecision", "OrderRouted", "OrderUnroutable", "PICKUP_KEY",
    "PolicySaved",
    "Promise", "RerouteOrder", "RouteOrder", "RouteReservedOrders", "RoutingOutcome", "RoutingPolicyChanged",
    "SetRoutingPolicy", "UnknownNode", "promise",
]
