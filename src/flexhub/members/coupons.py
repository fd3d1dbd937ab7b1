"""Redeeming a member's coupon inside a caller's unit of work (a store sale's checkout, an online order): the terms
checked (validity, channel, currency, threshold), then the coupon marked used by compare-and-set, so it is used
once however many checkouts try it at the same time."""

from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.members import repository, rules
from flexhub.members.errors import CouponUsed
from flexhub.members.events import CouponRedeemed


def redeem(uow: UnitOfWork, member: Any, code: str, *, subtotal: int, currency: str, channel: str,
           used_for: str) -> int:
    """Minor units the coupon takes off `subtotal`; CouponUsed, UnknownCoupon or CouponNotApplicable otherwise."""
    c, now = uow.connection, clock.now()
    held = repository.held_coupon(c, member.tenant_id, member.id, code)
    if held.state != "issued":
        raise CouponUsed(f"coupon {code} has been used", coupon=code)
    terms = rules.CouponTerms(held.code, held.kind, held.value, held.threshold, held.currency, held.valid_from,
                              held.valid_until, tuple(held.channels or ()))
    off = rules.discount(terms, subtotal=subtotal, currency=currency, channel=channel, at=now)
    repository.use_coupon(c, member.tenant_id, held.id, used_for, now)
    uow.record(CouponRedeemed(tenant_id=member.tenant_id, member_id=str(member.id), coupon=code, used_for=used_for,
                              discount=off))
    return off
