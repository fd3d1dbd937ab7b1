"""Redeeming a member's coupon inside a caller's unit of work (a store sale's checkout, an online order): the terms
checked (validity, channel, currency, threshold), then the coupon marked used by compare-and-set, so it is used
once however many checkouts try it at the same time."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.members import repository, rules
from flexhub.members.errors import CouponUsed
from flexhub.members.events import CouponRedeemed, CouponRestored


def redeem(uow: UnitOfWork, member: Any, code: str, *, subtotal: int, currency: str, channel: str,
           used_for: str) -> int:
    """Minor units the coupon takes off `subtotal`; CouponUsed, UnknownCoupon or CouponNotApplicable otherwise."""
    c, now = uow.connection, clock.now()
    held = repository.held_coupon(c, member.tenant_id, member.id, code)
    if held.state != "issued":
        raise CouponUsed(f"coupon {code} has been used", coupon=code)
    off = rules.discount(_terms(held), subtotal=subtotal, currency=currency, channel=channel, at=now)
    repository.use_coupon(c, member.tenant_id, held.id, used_for, now)
    uow.record(CouponRedeemed(tenant_id=member.tenant_id, member_id=str(member.id), coupon=code, used_for=used_for,
                              discount=off))
    return off


def preview(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, code: str, *, subtotal: int,
            currency: str, channel: str) -> int:
    """What the member's coupon would take off now, using nothing; the same refusals as `redeem`."""
    held = repository.held_coupon(connection, tenant_id, member_id, code)
    if held.state != "issued":
        raise CouponUsed(f"coupon {code} has been used", coupon=code)
    return rules.discount(_terms(held), subtotal=subtotal, currency=currency, channel=channel, at=clock.now())


def _terms(held: Any) -> rules.CouponTerms:
    return rules.CouponTerms(held.code, held.kind, held.value, held.threshold, held.currency, held.valid_from,
                             held.valid_until, tuple(held.channels or ()))


def redeem_for(uow: UnitOfWork, tenant_id: uuid.UUID, member_id: uuid.UUID, code: str, *, subtotal: int,
               currency: str, channel: str, used_for: str) -> int:
    member = repository.member(uow.connection, tenant_id, member_id)
    return redeem(uow, member, code, subtotal=subtotal, currency=currency, channel=channel, used_for=used_for)


def restore(uow: UnitOfWork, tenant_id: uuid.UUID, member_id: uuid.UUID, used_for: str) -> list[str]:
    """The member's coupons used by `used_for` (a sale refunded whole) issued to them again; their codes."""
    restored = repository.restore_coupons(uow.connection, tenant_id, member_id, used_for)
    for code in restored:
        uow.record(CouponRestored(tenant_id=tenant_id, member_id=str(member_id), coupon=code, used_for=used_for))
    return restored
