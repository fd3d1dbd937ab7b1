"""Identity handlers: tenants, partners, API keys and users."""

from typing import Any

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit, keys, passwords, repository
from flexhub.identity.commands import (
    ApiKeyCreated,
    CreateApiKey,
    CreatePartner,
    CreateTenant,
    CreateUser,
    PartnerCreated,
    SetTimeZone,
    TenantCreated,
    TimeZoneSet,
    UserCreated,
)
from flexhub.identity.errors import (
    InvalidRole,
    PartnerExists,
    TenantExists,
    UnknownTimeZone,
    UserExists,
    WeakPassword,
)
from flexhub.identity.queries import partner_by_code
from flexhub.identity.roles import PARTNER_KINDS, ROLES
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.ids import new_id
from flexhub.kernel.zones import is_zone


def create_tenant(cmd: CreateTenant, uow_factory: UnitOfWorkFactory) -> TenantCreated:
    with uow_factory() as uow:
        if repository.tenant_code_taken(uow.connection, cmd.code):
            raise TenantExists(f"tenant {cmd.code} already exists")
        values: dict[str, Any] = {"id": new_id(), "code": cmd.code, "name": cmd.name}
        repository.insert_tenant(uow.connection, values)
        uow.commit()
    return TenantCreated(**values)


def set_time_zone(cmd: SetTimeZone, uow_factory: UnitOfWorkFactory) -> TimeZoneSet:
    """The tenant's zone, or none (each page then shows its language's zone); an unknown name writes nothing."""
    name = cmd.time_zone.strip() if cmd.time_zone is not None else None
    if name is not None and not is_zone(name):
        raise UnknownTimeZone(f"{name!r} is not a time zone (an IANA name such as Asia/Shanghai)", time_zone=name)
    with uow_factory() as uow:
        repository.set_tenant_time_zone(uow.connection, cmd.actor.tenant_id, name)
        audit.record(uow, cmd.actor, audit.Audited("tenant.time_zone", "tenant", cmd.actor.tenant_id,
                                                   {"time_zone": name}))
        uow.commit()
    return TimeZoneSet(time_zone=name)


def create_partner(cmd: CreatePartner, uow_factory: UnitOfWorkFactory) -> PartnerCreated:
    if cmd.kind not in PARTNER_KINDS:
        raise ValidationFailed(f"partner kind must be one of {', '.join(PARTNER_KINDS)}")
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        if repository.partner_code_taken(uow.connection, tenant_id, cmd.code):
            raise PartnerExists(f"partner {cmd.code} already exists")
        values: dict[str, Any] = {"id": new_id(), "tenant_id": tenant_id, "code": cmd.code, "kind": cmd.kind,
                  "name": cmd.name or cmd.code}
        repository.insert_partner(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("partner.create", "partner", values["id"], {"code": cmd.code}))
        uow.commit()
    return PartnerCreated(**values)


def create_api_key(cmd: CreateApiKey, uow_factory: UnitOfWorkFactory) -> ApiKeyCreated:
    """Returns the key's token once; only its hash is stored."""
    _check_role(cmd.role, cmd.partner)
    tenant_id = cmd.actor.tenant_id
    new = keys.generate()
    with uow_factory() as uow:
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        values: dict[str, Any] = {"id": new_id(), "tenant_id": tenant_id, "partner_id": partner_id, "role": cmd.role,
                  "name": cmd.name, "prefix": new.prefix, "key_hash": keys.hash_key(new.token)}
        repository.insert_api_key(uow.connection, values)
        detail = {"role": cmd.role, "prefix": new.prefix, "partner": cmd.partner}
        audit.record(uow, cmd.actor, audit.Audited("api_key.create", "api_key", values["id"], detail))
        uow.commit()
    return ApiKeyCreated(id=values["id"], role=cmd.role, partner_id=partner_id, token=new.token)


def create_user(cmd: CreateUser, uow_factory: UnitOfWorkFactory) -> UserCreated:
    """A person with a role (a partner's person names the partner); only the password's hash is kept."""
    login = normal_login(cmd.login)
    _check_role(cmd.role, cmd.partner)
    if not login or len(login) > 120 or any(c.isspace() for c in login):
        raise ValidationFailed("a login is 1 to 120 characters without spaces")
    if problem := passwords.password_problem(cmd.password):
        raise WeakPassword(problem)
    password_hash = passwords.hash_password(cmd.password)  # slow on purpose: before the transaction opens
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        if repository.login_taken(uow.connection, login):
            raise UserExists(f"a user {login} already exists")
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        values: dict[str, Any] = {"id": new_id(), "tenant_id": tenant_id, "partner_id": partner_id, "login": login,
                  "display_name": (cmd.display_name or login)[:200], "role": cmd.role,
                  "password_hash": password_hash, "failed_sign_ins": 0}
        repository.insert_user(uow.connection, values)
        detail = {"login": login, "role": cmd.role, "partner": cmd.partner}
        audit.record(uow, cmd.actor, audit.Audited("user.create", "user", values["id"], detail))
        uow.commit()
    return UserCreated(id=values["id"], login=login, display_name=values["display_name"], role=cmd.role,
                       partner=cmd.partner)


def normal_login(login: str) -> str:
    """Logins compare without case or surrounding spaces (`Li.Na@Brand.cn` is `li.na@brand.cn`)."""
    return login.strip().lower()


def _check_role(role: str, partner: str | None) -> None:
    if role not in ROLES:
        raise InvalidRole(f"role must be one of {', '.join(ROLES)}")
    if (role == "partner") != (partner is not None):
        raise InvalidRole("a partner's user or key names its partner, and only theirs do")
