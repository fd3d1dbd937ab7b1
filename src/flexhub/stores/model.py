"""Stores tables: the shelf price of each SKU (what the shopper's page shows and a store sale charges), the
WeChat Pay merchant account, and store sales."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, JsonDocument, created_at_column, id_column


class ShelfPrice(Base):
    __tablename__ = "shelf_prices"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"), primary_key=True)
    amount: Mapped[int]  # minor units of `currency`
    currency: Mapped[str] = mapped_column(String(3))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()


class WechatPayAccount(Base):
    """The tenant's WeChat Pay merchant account: ids in the clear, keys and certificates sealed (the hub's key)."""

    __tablename__ = "wechatpay_accounts"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    mchid: Mapped[str] = mapped_column(String(32))
    appid: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str] = mapped_column(String(300))
    allow_private: Mapped[bool] = mapped_column(default=False)
    sealed: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = created_at_column()


class AlipayAccount(Base):
    """A tenant's Alipay app (支付宝开放平台): its id and gateway; its private key and Alipay's public key sealed."""

    __tablename__ = "alipay_accounts"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(32))
    gateway: Mapped[str] = mapped_column(String(300))
    allow_private: Mapped[bool] = mapped_column(default=False)
    sealed: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = created_at_column()


class StoreSale(Base):
    """One checkout in a store: one payment, its lines each taken now, picked up later or shipped, and the orders
    (one per way) that fulfil them. Its id's hex is the payment's out_trade_no."""

    __tablename__ = "store_sales"
    __table_args__ = (Index("ix_store_sales_store", "tenant_id", "location_id", "created_at"),
                      CheckConstraint("total >= 0 AND discount >= 0 AND points_spent >= 0", name="amounts_valid"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    location: Mapped[str] = mapped_column(String(64))  # the store's code
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"))
    state: Mapped[str] = mapped_column(String(16))  # pending | paid
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int]
    discount: Mapped[int] = mapped_column(default=0)  # the coupon's
    points_spent: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]  # what the payment is for
    coupon: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    orders: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)  # [{"mode", "order_id", "pickup_code"}]
    payment: Mapped[dict[str, Any]] = mapped_column(JsonDocument)  # prepay_id / h5_url, transaction_id
    created_at: Mapped[datetime] = created_at_column()
    paid_at: Mapped[datetime | None]
