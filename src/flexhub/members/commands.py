"""Members commands."""

from dataclasses import dataclass, field
from datetime import datetime

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class RegisterMember(Command):
    """A member by phone; a known phone answers the member it already is (its name kept)."""

    phone: str
    name: str
    wechat_unionid: str | None = None
    wechat_openid: str | None = None


@dataclass(frozen=True, kw_only=True)
class LinkIdentity(Command):
    """An id a channel knows the member by: a WeChat scope, or a channel's code with the platform's buyer id."""

    member_id: str
    scope: str
    value: str


@dataclass(frozen=True, kw_only=True)
class AdjustPoints(Command):
    member_id: str
    delta: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CreateCoupon(Command):
    code: str
    kind: str
    value: int
    currency: str
    valid_from: datetime
    valid_until: datetime
    threshold: int = 0
    channels: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class IssueCoupon(Command):
    member_id: str
    coupon: str
