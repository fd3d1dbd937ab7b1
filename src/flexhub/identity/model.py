"""Tables of tenants, partners, API keys, users, dashboard sessions and the audit log."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = id_column()
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # An IANA zone (Asia/Shanghai): pages and exports show times in it, date filters read days in it; None: the
    # zone of the page's language (Asia/Shanghai for Chinese, UTC for English).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()


class Partner(Base):
    """A reseller, supplier or store that belongs to a tenant and may hold its own keys."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()


class ApiKey(Base):
    """A key is `fhk_<prefix>_<secret>`; only a hash of the whole key is kept."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_tenant_at", "tenant_id", "at"),
                      Index("ix_audit_entity", "tenant_id", "entity", "entity_id"))  # an order's page reads its own

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    request_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any]]
    at: Mapped[datetime] = created_at_column()


class User(Base):
    """A person who signs in to the dashboard; its role gates it exactly as a key's does.

    The login is unique across tenants (the sign-in form asks for no tenant). Only a scrypt hash of the
    password is kept; consecutive failures lock the account until `locked_until`."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    login: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    last_sign_in_at: Mapped[datetime | None]


class DashboardSession(Base):
    """A dashboard sign-in, kept on the server: the browser's cookie holds only a random id, and this row only a
    SHA-256 of it. Signing out, an admin or a password change revokes it; it lapses `idle` after it was last
    seen, and at `expires_at` however busy. Signed in with a key, it names the key, never holds it."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user", "user_id"), Index("ix_sessions_expires", "expires_at"))

    id: Mapped[uuid.UUID] = id_column()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
