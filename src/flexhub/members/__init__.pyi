"""The public face of flexhub.members: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.members import coupons, points
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, LinkIdentity, RegisterMember
from flexhub.members.errors import (
    CouponExists,
    CouponNotApplicable,
    CouponUsed,
    IdentityTaken,
    InsufficientPoints,
    InvalidCoupon,
    InvalidPhone,
    UnknownCoupon,
    UnknownMember,
)
from flexhub.members.events import CouponRedeemed, CouponRestored, MemberRegistered, PointsChanged
from flexhub.members.queries import member_of_buyer, member_view

__all__ = [
    "AdjustPoints", "CouponExists", "CouponNotApplicable", "CouponRedeemed", "CouponRestored", "CouponUsed",
    "CreateCoupon",
    "IdentityTaken", "InsufficientPoints", "InvalidCoupon", "InvalidPhone", "IssueCoupon", "LinkIdentity",
    "MemberRegistered", "PointsChanged", "RegisterMember", "UnknownCoupon", "UnknownMember", "coupons",
    "member_of_buyer", "member_view", "points",
]
