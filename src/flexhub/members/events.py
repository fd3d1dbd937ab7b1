"""Members events. They name the member only by id: a member's phone and name stay out of webhooks."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class MemberRegistered(Event):
    member_id: str


@dataclass(frozen=True, kw_only=True)
class PointsChanged(Event):
    member_id: str
    kind: str
    delta: int
    balance: int
    order_ref: str | None


@dataclass(frozen=True, kw_only=True)
class CouponRedeemed(Event):
    member_id: str
    coupon: str
    used_for: str
    discount: int


@dataclass(frozen=True, kw_only=True)
class CouponRestored(Event):
    """A coupon given back to its member: the sale it was used on was refunded whole."""

    member_id: str
    coupon: str
    used_for: str
