"""Members DTOs."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.results import Result
from flexhub.kernel.text import StorableText


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: StorableText = Field(min_length=5, max_length=40)
    name: StorableText = Field(min_length=1, max_length=200)
    wechat_unionid: StorableText | None = Field(default=None, min_length=1, max_length=120)
    wechat_openid: StorableText | None = Field(default=None, min_length=1, max_length=120)


class MemberOut(Result, BaseModel):
    id: str
    points: int
    tier: str
    created: bool = Field(description="false: the phone was known, and this is the member it already was")


class PointsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: int = Field(ge=-10_000_000, le=10_000_000, description="points to add (negative: to take)")
    reason: StorableText = Field(min_length=1, max_length=200)


class PointsOut(Result, BaseModel):
    id: str
    points: int
    delta: int
    tier: str


class IdentityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: StorableText = Field(min_length=1, max_length=64,
                                description="wechat_unionid, wechat_openid, or a channel's code (its buyer id)")
    value: StorableText = Field(min_length=1, max_length=120)


class IdentityOut(Result, BaseModel):
    scope: str
    value: str


class MemberOrder(BaseModel):
    id: str
    channel: str
    external_id: str
    status: str
    payment_state: str
    total: int
    currency: str
    created_at: datetime


class PointsLine(BaseModel):
    kind: str
    delta: int
    balance: int
    reason: str
    order_ref: str | None
    created_at: datetime


class HeldCoupon(BaseModel):
    id: str
    code: str
    kind: str
    value: int
    threshold: int
    currency: str
    valid_until: datetime
    state: str


class MemberView(BaseModel):
    id: str
    name: str
    phone: str
    points: int
    lifetime_points: int
    tier: str
    identities: list[IdentityOut]
    orders: list[MemberOrder]
    points_history: list[PointsLine]
    coupons: list[HeldCoupon]
    created_at: datetime


class CouponIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StorableText = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    kind: Literal["amount", "percent"]
    value: int = Field(gt=0, le=10**9, description="minor units off, or percent off")
    currency: str = Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    threshold: int = Field(default=0, ge=0, le=10**9, description="the least subtotal, minor units")
    valid_from: datetime
    valid_until: datetime
    channels: list[StorableText] = Field(default_factory=list, max_length=50,
                                         description="channel codes, `store` for the stores; empty: everywhere")


class CouponOut(Result, BaseModel):
    code: str
    kind: str
    value: int
    currency: str
    threshold: int
    valid_from: datetime
    valid_until: datetime
    channels: list[str]


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coupon: StorableText = Field(min_length=1, max_length=64)


class IssuedOut(Result, BaseModel):
    id: str
    code: str
    state: str
