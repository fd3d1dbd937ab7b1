"""Routing routes: the policy (/api/v1/routing/config) and each order's decision (a contract: paths and
bodies stay stable). The policy GET returns is the document PUT takes; its ETag is the revision."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.routing import queries
from flexhub.routing.commands import RerouteOrder, RouteOrder, SetRoutingPolicy
from flexhub.routing.policy import RoutingPolicy
from flexhub.routing.schemas import DecisionOut, RerouteIn

router = APIRouter(tags=["routing"])
PolicyReader = Annotated[Actor, Depends(allowed("routing.read"))]
PolicyWriter = Annotated[Actor, Depends(allowed("routing.configure"))]
Router = Annotated[Actor, Depends(allowed("routing.write"))]


@router.get("/api/v1/routing/config", response_model=RoutingPolicy)
def get_config(actor: PolicyReader, hub: HubDep, response: Response) -> dict:
    """The routing policy in force: the tenant's document over the defaults."""
    with hub.uow(write=False) as uow:
        view = queries.policy_view(uow.connection, actor.tenant_id)
    response.headers["ETag"] = f'"{view["revision"]}"'
    return view["policy"]


@router.put("/api/v1/routing/config", response_model=RoutingPolicy)
def put_config(body: RoutingPolicy, actor: PolicyWriter, hub: HubDep, response: Response) -> dict:
    """Replace the routing policy; fields left out take their defaults."""
    saved = hub.handle(SetRoutingPolicy(actor=actor, document=body.model_dump(mode="json", exclude_unset=True)))
    response.headers["ETag"] = f'"{saved.revision}"'
    return saved.policy.model_dump(mode="json")


@router.get("/api/v1/orders/{order_id}/routing", response_model=DecisionOut)
def get_decision(order_id: uuid.UUID, actor: PolicyReader, hub: HubDep) -> dict:
    """The order's latest routing decision: the chosen plan, every scored plan, every refused node and why. The
    brand's staff only (`routing.read`): it is all about the brand's nodes, which a partner's answers never name."""
    return _decision(hub, actor, order_id)


@router.post("/api/v1/orders/{order_id}/route", response_model=DecisionOut)
def route_order(order_id: uuid.UUID, actor: Router, hub: HubDep) -> dict:
    """Route a reserved order now (the routing job does so on its own)."""
    hub.handle(RouteOrder(actor=actor, order_id=str(order_id)))
    return _decision(hub, actor, order_id)


@router.post("/api/v1/orders/{order_id}/reroute", response_model=DecisionOut)
def reroute_order(order_id: uuid.UUID, body: RerouteIn, actor: Router, hub: HubDep) -> dict:
    """A node short-picked this order: route it again without that node."""
    hub.handle(RerouteOrder(actor=actor, order_id=str(order_id), node=body.node, short_skus=body.short_skus))
    return _decision(hub, actor, order_id)


def _decision(hub: HubDep, actor: Actor, order_id: uuid.UUID) -> dict:
    with hub.uow(write=False) as uow:
        return queries.decision_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
