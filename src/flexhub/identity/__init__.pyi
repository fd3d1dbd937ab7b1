"""The public face of flexhub.identity: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.identity import audit
from flexhub.identity.commands import (
    ChangePassword,
    CreateApiKey,
    CreatePartner,
    CreateTenant,
    CreateUser,
    RevokeSessions,
    SignInUser,
)
from flexhub.identity.errors import (
    InvalidCredentials,
    InvalidKey,
    InvalidRole,
    PartnerExists,
    RoleForbidden,
    TenantExists,
    UnknownPartner,
    UnknownTenant,
    UnknownUser,
    UserExists,
    WeakPassword,
    WrongPassword,
)
from flexhub.identity.masking import order_as_seen_by
from flexhub.identity.queries import audit_entries, partner_by_code, tenant_ids

__all__ = [
    "ChangePassword", "CreateApiKey", "CreatePartner", "CreateTenant", "CreateUser", "InvalidCredentials", "InvalidKey",
    "InvalidRole", "PartnerExists", "RevokeSessions", "RoleForbidden", "SignInUser", "TenantExists", "UnknownPartner",
    "UnknownTenant", "UnknownUser", "UserExists", "WeakPassword", "WrongPassword", "audit", "audit_entries",
    "order_as_seen_by", "partner_by_code", "tenant_ids",
]
