"""Identity commands. Creating a tenant is done by the operator of the hub, before any actor exists."""

from dataclasses import dataclass

from flexhub.kernel.messages import Command


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
