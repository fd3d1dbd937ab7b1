"""Routing handlers: route a reserved order, re-route one a node short-picked, the routing job, the policy."""

import uuid
from typing import Any

import stamina
import structlog

from flexhub import channels, inventory
from flexhub.bus.messagebus import is_contention
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import InvalidTransition, UnknownOrder, locked_order
from flexhub.routing import policies, repository
from flexhub.routing.commands import (
    PolicySaved,
    RerouteOrder,
    RouteOrder,
    RouteReservedOrders,
    RoutingOutcome,
    SetRoutingPolicy,
)
from flexhub.routing.errors import UnknownNode
from flexhub.routing.events import RoutingPolicyChanged
from flexhub.routing.placement import route

log = structlog.get_logger(__name__)
JOB_ACTOR = "job:route_orders"
REROUTABLE = frozenset({"routed", "picking"})  # a node may short-pick while it picks


def route_order(cmd: RouteOrder, uow_factory: UnitOfWorkFactory) -> RoutingOutcome:
    with uow_factory() as uow:
        order = _order(uow, cmd.actor, cmd.order_id)
        if order.status != "reserved":
            raise InvalidTransition(f"only a reserved order is routed; this one is {order.status}", status=order.status)
        outcome = route(uow, cmd.actor, order, trigger="route")
        uow.commit()
    return outcome


def reroute_order(cmd: RerouteOrder, uow_factory: UnitOfWorkFactory) -> RoutingOutcome:
    with uow_factory() as uow:
        order = _order(uow, cmd.actor, cmd.order_id)
        if order.status not in REROUTABLE:
            raise InvalidTransition(f"only a routed order is re-routed; this one is {order.status}",
                                    status=order.status)
        if inventory.location_by_code(uow.connection, order.tenant_id, cmd.node) is None:
            raise UnknownNode(f"unknown node {cmd.node}", node=cmd.node)
        previous = next(iter(repository.decisions(uow.connection, order.tenant_id, order.id)), None)
        excluded = frozenset(previous.excluded if previous else ()) | {cmd.node}
        outcome = route(uow, cmd.actor, order, trigger="reroute", excluded=excluded, short_skus=cmd.short_skus,
                        previous=previous)
        uow.commit()
    return outcome


def route_reserved_orders(cmd: RouteReservedOrders, uow_factory: UnitOfWorkFactory) -> int:
    """Route each waiting order in its own transaction; returns how many were routed."""
    with uow_factory(write=False) as uow:
        due = repository.reserved_orders(uow.connection, cmd.limit, channels.channels_holding_unpaid(uow.connection))
    routed = 0
    for tenant_id, order_id in due:
        try:
            routed += _route_waiting(uow_factory, tenant_id, order_id)
        except FlexhubError as error:  # one order's trouble must not stop the others
            log.warning("routing failed", order_id=str(order_id), code=error.code, error=error.message)
    return routed


def _route_waiting(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, order_id: uuid.UUID) -> bool:
    actor = Actor(tenant_id=tenant_id, role="admin", name=JOB_ACTOR)
    for attempt in stamina.retry_context(on=is_contention, attempts=5, wait_initial=0.01, wait_max=0.5):
        with attempt, uow_factory() as uow:
            order = locked_order(uow, tenant_id, order_id)
            if order.status != "reserved":
                return False  # routed, changed or cancelled meanwhile
            outcome = route(uow, actor, order, trigger="route")
            uow.commit()
            return outcome.outcome == "routed"
    return False


def set_routing_policy(cmd: SetRoutingPolicy, uow_factory: UnitOfWorkFactory) -> PolicySaved:
    policy = policies.validated(cmd.document)
    with uow_factory() as uow:
        revision = repository.save_policy(uow.connection, cmd.actor.tenant_id, cmd.document, cmd.actor.name)
        uow.record(RoutingPolicyChanged(tenant_id=cmd.actor.tenant_id, revision=revision))
        audit.record(uow, cmd.actor, audit.Audited("routing.policy", "routing_policy", cmd.actor.tenant_id,
                                                   {"revision": revision}))
        uow.commit()
    return PolicySaved(revision=revision, policy=policy)


def _order(uow: Any, actor: Actor, text: str) -> Any:
    try:
        order_id = uuid.UUID(text)
    except ValueError as error:
        raise UnknownOrder(f"no order {text}") from error
    order = locked_order(uow, actor.tenant_id, order_id)
    if actor.partner_id is not None and order.partner_id != actor.partner_id:
        raise UnknownOrder(f"no order {text}")
    return order
