"""Identity handlers: tenants, partners and API keys."""

from typing import Any

from sqlalchemy import insert, select

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit, keys
from flexhub.identity.commands import CreateApiKey, CreatePartner, CreateTenant
from flexhub.identity.errors import InvalidRole, PartnerExists, TenantExists
from flexhub.identity.model import ApiKey, Partner, Tenant
from flexhub.identity.partners import partner_by_code
from flexhub.identity.roles import PARTNER_KINDS, ROLES
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.ids import new_id


def create_tenant(cmd: CreateTenant, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    with uow_factory() as uow:
        if uow.connection.execute(select(Tenant.id).where(Tenant.code == cmd.code)).first():
            raise TenantExists(f"tenant {cmd.code} already exists")
        values = {"id": new_id(), "code": cmd.code, "name": cmd.name}
        uow.connection.execute(insert(Tenant).values(**values))
        uow.commit()
    return values


def create_partner(cmd: CreatePartner, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    if cmd.kind not in PARTNER_KINDS:
        raise ValidationFailed(f"partner kind must be one of {', '.join(PARTNER_KINDS)}")
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        query = select(Partner.id).where(Partner.tenant_id == tenant_id, Partner.code == cmd.code)
        if uow.connection.execute(query).first():
            raise PartnerExists(f"partner {cmd.code} already exists")
        values = {"id": new_id(), "tenant_id": tenant_id, "code": cmd.code, "kind": cmd.kind,
                  "name": cmd.name or cmd.code}
        uow.connection.execute(insert(Partner).values(**values))
        audit.record(uow, cmd.actor, audit.Audited("partner.create", "partner", values["id"], {"code": cmd.code}))
        uow.commit()
    return values


def create_api_key(cmd: CreateApiKey, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    """Returns the key's token once; only its hash is stored."""
    if cmd.role not in ROLES:
        raise InvalidRole(f"role must be one of {', '.join(ROLES)}")
    if (cmd.role == "partner") != (cmd.partner is not None):
        raise InvalidRole("a partner key names its partner, and only a partner key does")
    tenant_id = cmd.actor.tenant_id
    new = keys.generate()
    with uow_factory() as uow:
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        values = {"id": new_id(), "tenant_id": tenant_id, "partner_id": partner_id, "role": cmd.role,
                  "name": cmd.name, "prefix": new.prefix, "key_hash": keys.hash_key(new.token)}
        uow.connection.execute(insert(ApiKey).values(**values))
        detail = {"role": cmd.role, "prefix": new.prefix, "partner": cmd.partner}
        audit.record(uow, cmd.actor, audit.Audited("api_key.create", "api_key", values["id"], detail))
        uow.commit()
    return {"id": values["id"], "role": cmd.role, "partner_id": partner_id, "token": new.token}
