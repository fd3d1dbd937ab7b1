"""Members routes: /api/v1/members — register by phone (a known phone answers its member), a member with their
orders from every channel, points adjustments, linked ids and coupons. Staff only; phones and names are masked for
roles without personal data."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.members import queries
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, LinkIdentity, RegisterMember
from flexhub.members.schemas import (
    CouponIn,
    CouponOut,
    IdentityIn,
    IdentityOut,
    IssuedOut,
    IssueIn,
    MemberIn,
    MemberOut,
    MemberView,
    PointsIn,
    PointsOut,
)

router = APIRouter(prefix="/api/v1/members", tags=["members"])
Reader = Annotated[Actor, Depends(allowed("members.read"))]
Writer = Annotated[Actor, Depends(allowed("members.write"))]
MEMBER = "/{member_id}"


@router.post("", status_code=201, response_model=MemberOut,
             responses={200: {"model": MemberOut, "description": "the member a known phone already is"}})
def register(body: MemberIn, actor: Writer, hub: HubDep, response: Response) -> MemberOut:
    """201 with a new member; 200 with the member a known phone already is."""
    member: MemberOut = hub.handle(RegisterMember(actor=actor, **body.model_dump()))
    if not member.created:
        response.status_code = 200
    return member


@router.post("/coupons", status_code=201, response_model=CouponOut)
def create_coupon(body: CouponIn, actor: Writer, hub: HubDep) -> CouponOut:
    """A coupon: an amount or a percentage off, from a threshold, valid for a time, on some channels or all."""
    return hub.handle(CreateCoupon(actor=actor, **body.model_dump()))


@router.get(MEMBER, response_model=MemberView)
def get_member(member_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    """The member, their orders from every channel (by phone or a platform's buyer id), points and coupons."""
    with hub.uow(write=False) as uow:
        return queries.member_view(uow.connection, actor.tenant_id, member_id, actor.role)


@router.post(MEMBER + "/points", response_model=PointsOut)
def adjust_points(member_id: uuid.UUID, body: PointsIn, actor: Writer, hub: HubDep) -> PointsOut:
    """Add or take points by hand, with a reason; the balance never goes below zero (409
    `members.insufficient_points`)."""
    return hub.handle(AdjustPoints(actor=actor, member_id=str(member_id), delta=body.delta, reason=body.reason))


@router.post(MEMBER + "/identities", status_code=201, response_model=IdentityOut)
def link_identity(member_id: uuid.UUID, body: IdentityIn, actor: Writer, hub: HubDep) -> IdentityOut:
    """An id a channel knows the member by: `wechat_unionid`, `wechat_openid`, or a channel's code and the
    platform's buyer id, so that channel's orders join the member's history."""
    return hub.handle(LinkIdentity(actor=actor, member_id=str(member_id), scope=body.scope, value=body.value))


@router.post(MEMBER + "/coupons", status_code=201, response_model=IssuedOut)
def issue_coupon(member_id: uuid.UUID, body: IssueIn, actor: Writer, hub: HubDep) -> IssuedOut:
    return hub.handle(IssueCoupon(actor=actor, member_id=str(member_id), coupon=body.coupon))
