"""The only place with members SQL; every statement is scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, Table, and_, insert, or_, select, update

from flexhub.db.portable import for_update, insert_if_absent
from flexhub.members.errors import CouponUsed, UnknownCoupon, UnknownMember
from flexhub.members.model import Coupon, Member, MemberCoupon, MemberIdentity, PointsEntry


def member_by_phone(connection: Connection, tenant_id: uuid.UUID, phone: str) -> Any:
    return connection.execute(select(Member).where(Member.tenant_id == tenant_id, Member.phone == phone)).first()


def member(connection: Connection, tenant_id: uuid.UUID, member_id: str | uuid.UUID, *, lock: bool = False) -> Any:
    try:
        key = member_id if isinstance(member_id, uuid.UUID) else uuid.UUID(member_id)
    except ValueError:
        raise UnknownMember(f"no member {member_id}") from None
    query = select(Member).where(Member.tenant_id == tenant_id, Member.id == key)
    row = connection.execute(for_update(query, connection) if lock else query).first()
    if row is None:
        raise UnknownMember(f"no member {member_id}")
    return row


def insert_member(connection: Connection, values: dict[str, Any]) -> bool:
    """False: a member with this phone went in first (its transaction committed while this one waited)."""
    return insert_if_absent(connection, _table(Member), values)


def identity_owner(connection: Connection, tenant_id: uuid.UUID, scope: str, value: str) -> uuid.UUID | None:
    query = select(MemberIdentity.member_id).where(MemberIdentity.tenant_id == tenant_id,
                                                   MemberIdentity.scope == scope, MemberIdentity.value == value)
    return connection.scalar(query)


def insert_identity(connection: Connection, values: dict[str, Any]) -> bool:
    return insert_if_absent(connection, _table(MemberIdentity), values)


def identities(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID) -> list[Any]:
    query = (select(MemberIdentity.scope, MemberIdentity.value)
             .where(MemberIdentity.tenant_id == tenant_id, MemberIdentity.member_id == member_id)
             .order_by(MemberIdentity.scope, MemberIdentity.value))
    return list(connection.execute(query))


def identity_owners(connection: Connection, tenant_id: uuid.UUID,
                    ids: set[tuple[str, str]]) -> dict[tuple[str, str], uuid.UUID]:
    """The member holding each of the (scope, value) ids that one holds, in one statement for them all."""
    by_scope: dict[str, list[str]] = {}
    for scope, value in ids:
        by_scope.setdefault(scope, []).append(value)
    if not by_scope:
        return {}
    query = select(MemberIdentity.scope, MemberIdentity.value, MemberIdentity.member_id).where(
        MemberIdentity.tenant_id == tenant_id,
        or_(*(and_(MemberIdentity.scope == scope, MemberIdentity.value.in_(values))
              for scope, values in sorted(by_scope.items()))))
    return {(row.scope, row.value): row.member_id for row in connection.execute(query)}


def members_by_phone_or_id(connection: Connection, tenant_id: uuid.UUID, phones: set[str],
                           member_ids: set[uuid.UUID]) -> list[Any]:
    """Members whose phone is one of `phones` or whose id is one of `member_ids`, oldest first."""
    query = (select(Member)
             .where(Member.tenant_id == tenant_id,
                    or_(Member.phone.in_(sorted(phones)), Member.id.in_(sorted(member_ids))))
             .order_by(Member.created_at, Member.id))
    return list(connection.execute(query))


def add_points(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, delta: int,
               earned: int) -> bool:
    """Compare-and-set: the balance moves by `delta` only if it stays at or above zero."""
    result = connection.execute(
        update(Member)
        .where(Member.tenant_id == tenant_id, Member.id == member_id, Member.points + delta >= 0)
        .values(points=Member.points + delta, lifetime_points=Member.lifetime_points + earned))
    return result.rowcount == 1


def insert_entry(connection: Connection, values: dict[str, Any]) -> bool:
    """False: this order's entry of this kind is there already (earned or reversed once)."""
    if values.get("order_ref") is None:
        connection.execute(insert(PointsEntry).values(**values))
        return True
    return insert_if_absent(connection, _table(PointsEntry), values)


def order_entries(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, order_ref: str) -> dict[str, Any]:
    query = select(PointsEntry).where(PointsEntry.tenant_id == tenant_id, PointsEntry.member_id == member_id,
                                      PointsEntry.order_ref == order_ref)
    return {row.kind: row for row in connection.execute(query)}


def points_history(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, limit: int = 50) -> list[Any]:
    query = (select(PointsEntry).where(PointsEntry.tenant_id == tenant_id, PointsEntry.member_id == member_id)
             .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(limit))
    return list(connection.execute(query))


def coupon(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    row = connection.execute(select(Coupon).where(Coupon.tenant_id == tenant_id, Coupon.code == code)).first()
    if row is None:
        raise UnknownCoupon(f"no coupon {code}", coupon=code)
    return row


def insert_coupon(connection: Connection, values: dict[str, Any]) -> bool:
    return insert_if_absent(connection, _table(Coupon), values)


def insert_member_coupon(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(MemberCoupon).values(**values))


def held_coupon(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, code: str) -> Any:
    """The member's unused coupon of this code (the oldest), else their used one, else UnknownCoupon."""
    query = (select(MemberCoupon, Coupon.code, Coupon.kind, Coupon.value, Coupon.threshold, Coupon.currency,
                    Coupon.valid_from, Coupon.valid_until, Coupon.channels)
             .join(Coupon, Coupon.id == MemberCoupon.coupon_id)
             .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.member_id == member_id, Coupon.code == code)
             .order_by(MemberCoupon.state, MemberCoupon.created_at))  # issued before used
    row = connection.execute(query).first()
    if row is None:
        raise UnknownCoupon(f"the member holds no coupon {code}", coupon=code)
    return row


def use_coupon(connection: Connection, tenant_id: uuid.UUID, held_id: uuid.UUID, used_for: str, at: Any) -> None:
    """Compare-and-set: a coupon is used once, whoever asks at the same time."""
    result = connection.execute(
        update(MemberCoupon)
        .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.id == held_id, MemberCoupon.state == "issued")
        .values(state="used", used_for=used_for, used_at=at))
    if result.rowcount != 1:
        raise CouponUsed("this coupon has been used")


def restore_coupons(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID, used_for: str) -> list[str]:
    """The member's coupons used for `used_for` made issued again (compare-and-set); the codes restored."""
    query = (select(MemberCoupon.id, Coupon.code).join(Coupon, Coupon.id == MemberCoupon.coupon_id)
             .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.member_id == member_id,
                    MemberCoupon.state == "used", MemberCoupon.used_for == used_for))
    restored = []
    for held in list(connection.execute(query)):
        result = connection.execute(
            update(MemberCoupon).where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.id == held.id,
                                       MemberCoupon.state == "used")
            .values(state="issued", used_for=None, used_at=None))
        if result.rowcount == 1:
            restored.append(held.code)
    return restored


def coupons_of(connection: Connection, tenant_id: uuid.UUID, member_id: uuid.UUID) -> list[Any]:
    query = (select(MemberCoupon.id, MemberCoupon.state, Coupon.code, Coupon.kind, Coupon.value, Coupon.threshold,
                    Coupon.currency, Coupon.valid_until)
             .join(Coupon, Coupon.id == MemberCoupon.coupon_id)
             .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.member_id == member_id)
             .order_by(MemberCoupon.created_at))
    return list(connection.execute(query))


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table
