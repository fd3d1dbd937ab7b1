"""Members handlers: register (a known phone answers its member), link a channel's id, adjust points, coupons."""

from typing import Any

from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel.ids import new_id
from flexhub.members import points, repository, rules
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, LinkIdentity, RegisterMember
from flexhub.members.errors import CouponExists, IdentityTaken
from flexhub.members.events import MemberRegistered
from flexhub.members.schemas import CouponOut, IdentityOut, IssuedOut, MemberOut, PointsOut


def register_member(cmd: RegisterMember, uow_factory: UnitOfWorkFactory) -> MemberOut:
    phone = rules.normalized_phone(cmd.phone)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        c = uow.connection
        member_id = new_id()
        created = repository.insert_member(c, {"id": member_id, "tenant_id": tenant_id, "phone": phone,
                                               "name": cmd.name, "points": 0, "lifetime_points": 0})
        member = repository.member_by_phone(c, tenant_id, phone)
        wechat = [(scope, value) for scope, value in zip(rules.WECHAT_SCOPES, (cmd.wechat_unionid, cmd.wechat_openid),
                                                         strict=True) if value]
        for scope, value in wechat:
            _link(uow, member.id, tenant_id, scope, value)
        if created:
            audit.record(uow, cmd.actor, audit.Audited("member.register", "member", member.id,
                                                       {"ids": [scope for scope, _ in wechat]}))
            uow.record(MemberRegistered(tenant_id=tenant_id, member_id=str(member.id)))
        uow.commit()
    return MemberOut(id=str(member.id), points=member.points, tier=rules.tier(member.lifetime_points), created=created)


def link_identity(cmd: LinkIdentity, uow_factory: UnitOfWorkFactory) -> IdentityOut:
    with uow_factory() as uow:
        member = repository.member(uow.connection, cmd.actor.tenant_id, cmd.member_id)
        _link(uow, member.id, member.tenant_id, cmd.scope, cmd.value)
        audit.record(uow, cmd.actor, audit.Audited("member.link", "member", member.id, {"scope": cmd.scope}))
        uow.commit()
    return IdentityOut(scope=cmd.scope, value=cmd.value)


def _link(uow: UnitOfWork, member_id: Any, tenant_id: Any, scope: str, value: str) -> None:
    owner = repository.identity_owner(uow.connection, tenant_id, scope, value)
    if owner is None and repository.insert_identity(uow.connection, {
            "id": new_id(), "tenant_id": tenant_id, "member_id": member_id, "scope": scope, "value": value}):
        return
    if (owner or repository.identity_owner(uow.connection, tenant_id, scope, value)) != member_id:
        raise IdentityTaken(f"another member holds this {scope}", scope=scope)


def adjust_points(cmd: AdjustPoints, uow_factory: UnitOfWorkFactory) -> PointsOut:
    with uow_factory() as uow:
        member = repository.member(uow.connection, cmd.actor.tenant_id, cmd.member_id, lock=True)
        balance = points.change(uow, cmd.actor.name, member, kind="adjust", delta=cmd.delta, reason=cmd.reason)
        audit.record(uow, cmd.actor, audit.Audited("member.points", "member", member.id,
                                                   {"delta": cmd.delta, "reason": cmd.reason}))
        uow.commit()
    return PointsOut(id=str(member.id), points=balance or 0, delta=cmd.delta, tier=rules.tier(member.lifetime_points))


def create_coupon(cmd: CreateCoupon, uow_factory: UnitOfWorkFactory) -> CouponOut:
    terms = rules.CouponTerms(cmd.code, cmd.kind, cmd.value, cmd.threshold, cmd.currency, cmd.valid_from,
                              cmd.valid_until, tuple(cmd.channels))
    rules.check_terms(terms)
    values: dict[str, Any] = {"code": cmd.code, "kind": cmd.kind, "value": cmd.value, "threshold": cmd.threshold,
              "currency": cmd.currency, "valid_from": cmd.valid_from, "valid_until": cmd.valid_until,
              "channels": sorted(set(cmd.channels))}
    with uow_factory() as uow:
        coupon_id = new_id()
        if not repository.insert_coupon(uow.connection, {"id": coupon_id, "tenant_id": cmd.actor.tenant_id,
                                                         **values}):
            raise CouponExists(f"coupon {cmd.code} exists", coupon=cmd.code)
        audit.record(uow, cmd.actor, audit.Audited("coupon.create", "coupon", coupon_id,
                                                   {"code": cmd.code, "kind": cmd.kind, "value": cmd.value}))
        uow.commit()
    return CouponOut(**values)


def issue_coupon(cmd: IssueCoupon, uow_factory: UnitOfWorkFactory) -> IssuedOut:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        member = repository.member(uow.connection, tenant_id, cmd.member_id)
        coupon = repository.coupon(uow.connection, tenant_id, cmd.coupon)
        held_id = new_id()
        repository.insert_member_coupon(uow.connection, {"id": held_id, "tenant_id": tenant_id,
                                                         "member_id": member.id, "coupon_id": coupon.id,
                                                         "state": "issued"})
        audit.record(uow, cmd.actor, audit.Audited("coupon.issue", "member", member.id, {"coupon": cmd.coupon}))
        uow.commit()
    return IssuedOut(id=str(held_id), code=cmd.coupon, state="issued")
