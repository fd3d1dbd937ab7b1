"""Members' decisions, pure: phone numbers, points earned, spent and reversed, tiers, and what a coupon takes off."""

import string
from dataclasses import dataclass, field
from datetime import datetime

from flexhub.members.errors import CouponNotApplicable, InsufficientPoints, InvalidCoupon, InvalidPhone

MINOR_PER_POINT = 100  # a point earned per whole unit of currency paid (100 minor units)
POINT_VALUE = 1  # minor units a point takes off at checkout: 100 points = 1.00
TIERS = ((5000, "gold"), (1000, "silver"), (0, "standard"))  # by every point ever earned
WECHAT_SCOPES = ("wechat_unionid", "wechat_openid")
COUPON_KINDS = ("amount", "percent")
PHONE_SEPARATORS = set(" -()")


def normalized_phone(text: str) -> str:
    """The digits of a phone number, without China's +86: `+86 138-0013-8000` → `13800138000`."""
    raw = text.strip()
    body = raw[1:] if raw.startswith("+") else raw
    if not body or any(ch not in string.digits and ch not in PHONE_SEPARATORS for ch in body):
        raise InvalidPhone("a phone number is digits, with spaces, dashes or brackets between", phone_length=len(raw))
    digits = "".join(ch for ch in body if ch in string.digits)
    if raw.startswith("+") and digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not 5 <= len(digits) <= 15:
        raise InvalidPhone("a phone number has 5 to 15 digits", digits=len(digits))
    return digits


def phone_forms(phone: str) -> list[str]:
    """How channels write a member's phone in an order's buyer."""
    return [phone, f"+86{phone}", f"86{phone}", f"+86 {phone}"]


def points_for(paid: int) -> int:
    """Points a paid order earns: one per whole unit of currency."""
    return max(0, paid) // MINOR_PER_POINT


def balance_after(balance: int, delta: int) -> int:
    after = balance + delta
    if after < 0:
        raise InsufficientPoints(f"the member has {balance} points; {-delta} cannot be taken", points=balance)
    return after


@dataclass(frozen=True)
class Reversal:
    """What a refund takes back of the points its order earned: all of them, or what is left if some were spent
    since (points never go negative); `owed` is the rest."""

    delta: int
    owed: int


def reversal(balance: int, earned: int) -> Reversal:
    taken = min(earned, balance)
    return Reversal(-taken, earned - taken)


def tier(lifetime_points: int) -> str:
    return next(name for floor, name in TIERS if lifetime_points >= floor)


def spendable(balance: int, payable: int) -> int:
    """The most points a payment of `payable` minor units may take."""
    return min(balance, max(0, payable) // POINT_VALUE)


@dataclass(frozen=True)
class CouponTerms:
    code: str
    kind: str
    value: int
    threshold: int
    currency: str
    valid_from: datetime
    valid_until: datetime
    channels: tuple[str, ...] = field(default=())


def check_terms(terms: CouponTerms) -> None:
    if terms.kind not in COUPON_KINDS:
        raise InvalidCoupon(f"a coupon's kind is one of {', '.join(COUPON_KINDS)}", kind=terms.kind)
    if terms.kind == "percent" and not 1 <= terms.value <= 100:
        raise InvalidCoupon("a percentage coupon takes 1 to 100 percent off", value=terms.value)
    if terms.valid_until <= terms.valid_from:
        raise InvalidCoupon("a coupon is valid until after it is valid from")


def discount(terms: CouponTerms, *, subtotal: int, currency: str, channel: str, at: datetime) -> int:
    """Minor units the coupon takes off a subtotal, or why it does not apply."""
    if not terms.valid_from <= at < terms.valid_until:
        raise CouponNotApplicable(f"coupon {terms.code} is not valid now", coupon=terms.code)
    if terms.channels and channel not in terms.channels:
        raise CouponNotApplicable(f"coupon {terms.code} is not valid on {channel}", coupon=terms.code)
    if currency != terms.currency:
        raise CouponNotApplicable(f"coupon {terms.code} is in {terms.currency}", coupon=terms.code)
    if subtotal < terms.threshold:
        raise CouponNotApplicable(f"coupon {terms.code} needs a subtotal of {terms.threshold}", coupon=terms.code)
    if terms.kind == "amount":
        return min(terms.value, subtotal)
    return subtotal * terms.value // 100
