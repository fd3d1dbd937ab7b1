"""Identity error codes."""

from flexhub.kernel.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, error_class

InvalidKey = error_class("auth.invalid_key", 401, Unauthorized)
RoleForbidden = error_class("auth.forbidden", 403, Forbidden)
UnknownTenant = error_class("identity.unknown_tenant", 404, NotFound)
UnknownPartner = error_class("identity.unknown_partner", 404, NotFound)
UnknownUser = error_class("identity.unknown_user", 404, NotFound)
InvalidRole = error_class("identity.invalid_role", 422, ValidationFailed)
TenantExists = error_class("identity.tenant_exists", 409, Conflict)
PartnerExists = error_class("identity.partner_exists", 409, Conflict)
UserExists = error_class("identity.user_exists", 409, Conflict)
WeakPassword = error_class("identity.weak_password", 422, ValidationFailed)
# The current password, given to change it, is wrong (counted like a failed sign-in).
WrongPassword = error_class("identity.wrong_password", 422, ValidationFailed)
# One answer for an unknown login, a wrong password, a disabled or a locked account: none is told apart.
InvalidCredentials = error_class("auth.invalid_credentials", 401, Unauthorized)
# A tenant's time zone is an IANA name this machine's zone database knows (Asia/Shanghai, Europe/Berlin).
UnknownTimeZone = error_class("identity.unknown_time_zone", 422, ValidationFailed)
