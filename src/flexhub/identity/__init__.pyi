"""The public face of flexhub.identity: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.identity import audit
from flexhub.identity.commands import (
    ApiKeyCreated,
    ChangePassword,
    CreateApiKey,
    CreatePartner,
    CreateTenant,
    CreateUser,
    PartnerCreated,
    PasswordChanged,
    RevokeSessions,
    SessionsRevoked,
    SetTimeZone,
    SignInUser,
    TenantCreated,
    TimeZoneSet,
    UserCreated,
    UserSignedIn,
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
    UnknownTimeZone,
    UnknownUser,
    UserExists,
    WeakPassword,
    WrongPassword,
)
from flexhub.identity.masking import masked_text, order_as_seen_by, shipment_as_seen_by
from flexhub.identity.queries import (
    audit_entries,
    partner_by_code,
    partner_by_id,
    partners_of_kind,
    tenant_ids,
    tenant_name,
    tenant_time_zone,
)
from flexhub.identity.roles import may

__all__ = [
    "ApiKeyCreated", "ChangePassword", "CreateApiKey", "CreatePartner", "CreateTenant", "CreateUser",
    "InvalidCredentials", "InvalidKey", "InvalidRole", "PartnerCreated", "PartnerExists", "PasswordChanged",
    "RevokeSessions", "RoleForbidden", "SessionsRevoked", "SetTimeZone", "SignInUser", "TenantCreated",
    "TenantExists", "TimeZoneSet", "UnknownPartner", "UnknownTenant", "UnknownTimeZone", "UnknownUser",
    "UserCreated", "UserExists", "UserSignedIn", "WeakPassword", "WrongPassword", "audit", "audit_entries",
    "masked_text", "may", "order_as_seen_by", "partner_by_code", "partner_by_id", "partners_of_kind",
    "shipment_as_seen_by", "tenant_ids", "tenant_name", "tenant_time_zone",
]
