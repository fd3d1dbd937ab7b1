"""The only place with identity's write-side SQL: tenants, partners, API keys, users, sessions and the audit log."""

import uuid
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from flexhub.identity.model import ApiKey, AuditEntry, DashboardSession, Partner, Tenant, User


def tenant_code_taken(connection: Connection, code: str) -> bool:
    return connection.execute(select(Tenant.id).where(Tenant.code == code)).first() is not None


def insert_tenant(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(Tenant).values(**values))


def set_tenant_time_zone(connection: Connection, tenant_id: uuid.UUID, time_zone: str | None) -> None:
    connection.execute(update(Tenant).where(Tenant.id == tenant_id).values(time_zone=time_zone))


def partner_code_taken(connection: Connection, tenant_id: uuid.UUID, code: str) -> bool:
    query = select(Partner.id).where(Partner.tenant_id == tenant_id, Partner.code == code)
    return connection.execute(query).first() is not None


def insert_partner(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(Partner).values(**values))


def insert_api_key(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(ApiKey).values(**values))


def login_taken(connection: Connection, login: str) -> bool:
    """Logins are unique across tenants: the sign-in form asks for no tenant."""
    return connection.execute(select(User.id).where(User.login == login)).first() is not None


def insert_user(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(User).values(**values))


def insert_audit_entries(connection: Connection, rows: list[dict[str, Any]]) -> None:
    connection.execute(insert(AuditEntry), rows)


def user_by_login(connection: Connection, login: str) -> Any:
    return connection.execute(select(User).where(User.login == login)).first()


def user_by_id(connection: Connection, user_id: uuid.UUID) -> Any:
    return connection.execute(select(User).where(User.id == user_id)).first()


def record_sign_in(connection: Connection, user_id: uuid.UUID, now: Any, rehashed: str | None) -> None:
    """The failures forgotten and the lock lifted; an out-of-date password hash replaced by `rehashed`."""
    connection.execute(update(User).where(User.id == user_id).values(
        failed_sign_ins=0, locked_until=None, last_sign_in_at=now,
        **({"password_hash": rehashed} if rehashed else {})))


def count_sign_in_failure(connection: Connection, user_id: uuid.UUID) -> int:
    """One more failure, counted in the row (concurrent guesses all count); the count after it."""
    return int(connection.execute(
        update(User).where(User.id == user_id).values(failed_sign_ins=User.failed_sign_ins + 1)
        .returning(User.failed_sign_ins)).scalar_one())


def lock_user(connection: Connection, user_id: uuid.UUID, until: Any) -> None:
    connection.execute(update(User).where(User.id == user_id).values(failed_sign_ins=0, locked_until=until))


def set_password_hash(connection: Connection, user_id: uuid.UUID, password_hash: str) -> None:
    connection.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))


def insert_session(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(DashboardSession).values(**values))


def delete_lapsed_sessions(connection: Connection, now: Any) -> None:
    """Sessions past their absolute expiry sign nobody in: the table keeps only those that might."""
    connection.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))


def touch_session(connection: Connection, session_id: uuid.UUID, now: Any) -> None:
    connection.execute(update(DashboardSession).where(DashboardSession.id == session_id).values(last_seen_at=now))


def revoke_session(connection: Connection, token_hash: str, now: Any) -> Any:
    """The session's user, tenant and key if it was live until now, else None."""
    return connection.execute(
        update(DashboardSession).where(DashboardSession.token_hash == token_hash, DashboardSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(DashboardSession.tenant_id, DashboardSession.user_id, DashboardSession.api_key_id)).first()


def revoke_user_sessions(connection: Connection, user_id: uuid.UUID, now: Any, *, keep_hash: str | None = None) -> int:
    """Every live session of the user (but the one hashed `keep_hash`) revoked; how many were."""
    query = update(DashboardSession).where(DashboardSession.user_id == user_id, DashboardSession.revoked_at.is_(None),
                                           DashboardSession.expires_at > now)
    if keep_hash is not None:
        query = query.where(DashboardSession.token_hash != keep_hash)
    return connection.execute(query.values(revoked_at=now)).rowcount
