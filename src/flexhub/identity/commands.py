"""Identity commands. Creating a tenant is done by the operator of the hub, before any actor exists."""

import uuid
from dataclasses import dataclass, field

from flexhub.kernel.messages import Actor, Command
from flexhub.kernel.results import Result


@dataclass(frozen=True, kw_only=True)
class CreateTenant:
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class CreatePartner(Command):
    code: str
    kind: str
    name: str | None = None


@dataclass(frozen=True, kw_only=True)
class CreateApiKey(Command):
    role: str
    name: str
    partner: str | None = None


@dataclass(frozen=True, kw_only=True)
class CreateUser(Command):
    login: str
    role: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals repr
    display_name: str | None = None
    partner: str | None = None


@dataclass(frozen=True, kw_only=True)
class SignInUser:
    """A person signs in with a login and a password (no actor yet: this is how one is found)."""

    login: str
    password: str = field(repr=False)
    request_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class RevokeSessions(Command):
    """An admin signs a user out of every browser at once."""

    user_id: str


@dataclass(frozen=True, kw_only=True)
class ChangePassword(Command):
    """A signed-in user changes their own password; their other sessions are revoked, `keep_session` is not."""

    user_id: str
    current_password: str = field(repr=False)
    new_password: str = field(repr=False)
    keep_session: str | None = field(default=None, repr=False)  # the session id the change was made from


@dataclass(frozen=True, kw_only=True)
class SetTimeZone(Command):
    """An admin sets the zone the tenant's pages and exports show times in (None: the page language's zone)."""

    time_zone: str | None


# What the handlers answer (read by attribute, or by name: flexhub.kernel.results).


@dataclass(frozen=True, kw_only=True)
class TenantCreated(Result):
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class PartnerCreated(Result):
    id: uuid.UUID
    tenant_id: uuid.UUID
    code: str
    kind: str
    name: str


@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(Result):
    id: uuid.UUID
    role: str
    partner_id: uuid.UUID | None
    token: str = field(repr=False)  # shown once; only its hash is kept


@dataclass(frozen=True, kw_only=True)
class UserCreated(Result):
    id: uuid.UUID
    login: str
    display_name: str
    role: str
    partner: str | None


@dataclass(frozen=True, kw_only=True)
class UserSignedIn(Result):
    user_id: uuid.UUID
    actor: Actor


@dataclass(frozen=True, kw_only=True)
class SessionsRevoked(Result):
    user_id: uuid.UUID
    login: str
    revoked: int  # the user's live sessions, now revoked


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(Result):
    user_id: uuid.UUID
    sessions_revoked: int  # the user's other sessions, signed out


@dataclass(frozen=True, kw_only=True)
class TimeZoneSet(Result):
    time_zone: str | None
