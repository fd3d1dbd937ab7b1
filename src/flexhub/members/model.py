"""Members tables: the member, the ids that recognise them on each channel, the points ledger, coupons and the
coupons given to members."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("tenant_id", "phone"),
                      CheckConstraint("points >= 0 AND lifetime_points >= 0", name="points_not_negative"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    phone: Mapped[str] = mapped_column(String(20))  # digits only (rules.normalized_phone)
    name: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(default=0)
    lifetime_points: Mapped[int] = mapped_column(default=0)  # every point ever earned: the tier
    created_at: Mapped[datetime] = created_at_column()


class MemberIdentity(Base):
    """An id a channel knows the member by: `wechat_unionid`, `wechat_openid`, or a channel's code (its buyer id)."""

    __tablename__ = "member_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "scope", "value"),
                      Index("ix_member_identities_member", "member_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    scope: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()


class PointsEntry(Base):
    """One change of a member's points. An order earns once and is reversed once (unique per order and kind)."""

    __tablename__ = "member_points"
    __table_args__ = (UniqueConstraint("tenant_id", "order_ref", "kind"),
                      Index("ix_member_points_member", "member_id", "created_at"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))  # adjust | earn | spend | reverse | refund_spent
    delta: Mapped[int]
    balance: Mapped[int]  # after this entry
    reason: Mapped[str] = mapped_column(String(200))
    order_ref: Mapped[str | None] = mapped_column(String(120))  # the order (or sale) it is for
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()


class Coupon(Base):
    __tablename__ = "coupons"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),
                      CheckConstraint("value > 0 AND threshold >= 0", name="terms_valid"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # amount | percent
    value: Mapped[int]  # minor units off, or percent off
    threshold: Mapped[int] = mapped_column(default=0)  # the least subtotal it applies to, minor units
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    channels: Mapped[list[str]] = mapped_column(default=list)  # empty: every channel and the stores
    created_at: Mapped[datetime] = created_at_column()


class MemberCoupon(Base):
    """A coupon given to a member: used once, by one order."""

    __tablename__ = "member_coupons"
    __table_args__ = (Index("ix_member_coupons_member", "member_id"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    coupon_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coupons.id"))
    state: Mapped[str] = mapped_column(String(16), default="issued")  # issued | used
    used_for: Mapped[str | None] = mapped_column(String(120))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
