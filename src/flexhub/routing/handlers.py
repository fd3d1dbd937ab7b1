"""Routing handlers: route a reserved order, re-route one a node short-picked, the routing job, the policy."""

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import stamina
import structlog

from flexhub import channels, inventory
from flexhub.bus.messagebus import is_contention
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import InvalidTransition, UnknownOrder, locked_order, locked_orders
from flexhub.routing import policies, repository
from flexhub.routing.commands import (
    PolicySaved,
    RerouteOrder,
    RouteOrder,
    RouteReservedOrders,
    RoutingOutcome,
    SetRoutingPolicy,
)
from flexhub.routing.errors import AwaitingPayment, UnknownNode
from flexhub.routing.events import RoutingPolicyChanged
from flexhub.routing.inputs import Batch
from flexhub.routing.placement import Placements, route

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
    """Route the waiting orders a batch of one tenant's at a time, each batch in one transaction; returns how many
    were routed."""
    with uow_factory(write=False) as uow:
        due = repository.reserved_orders(uow.connection, cmd.limit, channels.channels_holding_unpaid(uow.connection))
    return sum(_route_batch(uow_factory, tenant_id, order_ids) for tenant_id, order_ids in _batches(due, cmd.batch))


def _batches(due: list[tuple[uuid.UUID, uuid.UUID]], size: int) -> Iterator[tuple[uuid.UUID, list[uuid.UUID]]]:
    """Runs of one tenant's orders, in the order due (VIP first, then oldest), `size` at most."""
    for tenant_id, run in itertools.groupby(due, key=lambda pair: pair[0]):
        order_ids = [order_id for _, order_id in run]
        for start in range(0, len(order_ids), max(1, size)):
            yield tenant_id, order_ids[start:start + max(1, size)]


def _route_batch(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]) -> int:
    """The orders still reserved, routed in due order in one transaction, each decided on the stock and loads the
    ones before it left. A batch one order's trouble refuses is rolled back whole and its orders routed one by one,
    so that only that order waits; a crash or a kill mid-batch leaves nothing of it written."""
    actor = Actor(tenant_id=tenant_id, role="admin", name=JOB_ACTOR)
    try:
        for attempt in stamina.retry_context(on=is_contention, attempts=5, wait_initial=0.01, wait_max=0.5):
            with attempt, uow_factory() as uow:
                locked = locked_orders(uow, tenant_id, order_ids)
                waiting = [locked[i] for i in order_ids if i in locked and locked[i].status == "reserved"]
                if not waiting:
                    return 0  # routed, changed or cancelled meanwhile
                placements = Placements(uow, Batch(uow, tenant_id, waiting))
                routed = sum(_placed(placements, actor, order) for order in waiting)
                placements.write()
                uow.commit()
                return routed
    except FlexhubError as error:
        if len(order_ids) > 1:
            log.info("a routing batch was refused; routing its orders one by one", code=error.code)
            return sum(_route_batch(uow_factory, tenant_id, [order_id]) for order_id in order_ids)
        log.warning("routing failed", order_id=str(order_ids[0]), code=error.code, error=error.message)
    return 0


def _placed(placements: Placements, actor: Actor, order: Any) -> bool:
    try:
        return placements.place(actor, order, trigger="route").outcome == "routed"
    except AwaitingPayment:  # paid for no longer, since the job read it: nothing of it was written
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
