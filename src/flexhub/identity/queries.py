"""Reading tenants (by their code, for the CLI and the demo), partners and users scoped by tenant, API keys,
dashboard sessions and the audit log."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from flexhub.identity import audit
from flexhub.identity.errors import UnknownPartner, UnknownTenant, UnknownUser
from flexhub.identity.model import ApiKey, AuditEntry, DashboardSession, Partner, Tenant, User


def tenant_by_code(connection: Connection, code: str) -> Any:
    row = connection.execute(select(Tenant).where(Tenant.code == code)).first()
    if row is None:
        raise UnknownTenant(f"unknown tenant {code} (there is no tenant {code} here)")
    return row


def partner_by_code(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    query = select(Partner).where(Partner.tenant_id == tenant_id, Partner.code == code)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownPartner(f"unknown partner {code}")
    return row


def partner_by_id(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> Any:
    """The tenant's partner (code, kind: reseller, supplier or store, name); None for no partner of this tenant."""
    return connection.execute(select(Partner).where(Partner.tenant_id == tenant_id, Partner.id == partner_id)).first()


def partners_of_kind(connection: Connection, tenant_id: uuid.UUID, kind: str) -> list[Any]:
    """The tenant's partners of one kind (reseller, supplier, store), by code."""
    query = select(Partner).where(Partner.tenant_id == tenant_id, Partner.kind == kind).order_by(Partner.code)
    return list(connection.execute(query))


def tenant_name(connection: Connection, tenant_id: uuid.UUID) -> str:
    """The brand's name, as its own parcels are signed."""
    return connection.scalar(select(Tenant.name).where(Tenant.id == tenant_id)) or ""


def tenant_time_zone(connection: Connection, tenant_id: uuid.UUID) -> str | None:
    """The tenant's own zone, or None when it follows the page's language."""
    return connection.scalar(select(Tenant.time_zone).where(Tenant.id == tenant_id))


def tenant_exists(connection: Connection, code: str) -> bool:
    return connection.execute(select(Tenant.id).where(Tenant.code == code)).first() is not None


def partner_exists(connection: Connection, tenant_id: uuid.UUID, code: str) -> bool:
    query = select(Partner.id).where(Partner.tenant_id == tenant_id, Partner.code == code)
    return connection.execute(query).first() is not None


def tenant_ids(connection: Connection) -> list[uuid.UUID]:
    """Every tenant's id: system jobs (alerts, say) visit each in turn."""
    return list(connection.execute(select(Tenant.id)).scalars())


def user_in_tenant(connection: Connection, tenant_id: uuid.UUID, *, user_id: uuid.UUID | None = None,
                   login: str | None = None) -> Any:
    """A user of this tenant, by id or by login; UnknownUser for one of another tenant as for none."""
    query = select(User).where(User.tenant_id == tenant_id)
    query = query.where(User.id == user_id) if user_id is not None else query.where(User.login == login)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownUser(f"no user {user_id or login} here")
    return row


def api_key_by_prefix(connection: Connection, prefix: str) -> Any:
    return connection.execute(select(ApiKey).where(ApiKey.prefix == prefix)).first()


def live_api_key(connection: Connection, key_id: uuid.UUID) -> Any:
    """A key by its id, or None once it is revoked."""
    return connection.execute(select(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))).first()


def live_session(connection: Connection, token_hash: str, now: datetime, seen_since: datetime) -> Any:
    """The session this hash names, unless it is revoked, past its absolute expiry, or unseen since `seen_since`."""
    return connection.execute(select(DashboardSession).where(
        DashboardSession.token_hash == token_hash, DashboardSession.revoked_at.is_(None),
        DashboardSession.expires_at > now, DashboardSession.last_seen_at > seen_since)).first()


def audit_entries(connection: Connection, tenant_id: uuid.UUID, *, action: str | None = None,
                  entity: str | None = None, entity_id: str | None = None, actor_prefix: str | None = None,
                  listed_at: datetime | None = None, limit: int | None = None) -> list[audit.Entry]:
    """A tenant's audit log, newest first, narrowed to an action, an entity and actors whose name starts so; a batch's
    row given as each entry it lists (identity.audit; `limit` counts rows, then entries). An entity written in a batch
    is found by its id with the batch's moment (`listed_at`: an order's `created_at`), which its row is stamped with."""
    query = (select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
             .order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit))
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        own = AuditEntry.entity_id == entity_id
        query = query.where(own if listed_at is None else
                            or_(own, and_(AuditEntry.entity_id == audit.BATCH, AuditEntry.at == listed_at)))
    if actor_prefix is not None:
        query = query.where(AuditEntry.actor.startswith(actor_prefix))
    return audit.entries_of(connection.execute(query), entity_id)[:limit]
