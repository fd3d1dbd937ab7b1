"""Reading tenants (by their code, for the CLI and the demo) and partners, scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.identity.errors import UnknownPartner, UnknownTenant
from flexhub.identity.model import Partner, Tenant


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


def partner_exists(connection: Connection, tenant_id: uuid.UUID, code: str) -> bool:
    query = select(Partner.id).where(Partner.tenant_id == tenant_id, Partner.code == code)
    return connection.execute(query).first() is not None


def tenant_ids(connection: Connection) -> list[uuid.UUID]:
    """Every tenant's id: system jobs (alerts, say) visit each in turn."""
    return list(connection.execute(select(Tenant.id)).scalars())
