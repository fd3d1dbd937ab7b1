"""Outbound webhook commands."""

from dataclasses import dataclass, field

from flexhub.kernel.messages import Command
from flexhub.kernel.results import Result


@dataclass(frozen=True, kw_only=True)
class CreateEndpoint(Command):
    """A partner's key registers an endpoint for its partner; any other key, one for the whole tenant."""

    url: str
    event_types: list[str] = field(default_factory=list)
    allow_private: bool = False  # admins only: the URL may resolve to a private or local address


@dataclass(frozen=True, kw_only=True)
class DisableEndpoint(Command):
    endpoint_id: str


@dataclass(frozen=True, kw_only=True)
class DeleteEndpoint(Command):
    """The endpoint and its deliveries go; events from now on are not kept for it."""

    endpoint_id: str


@dataclass(frozen=True, kw_only=True)
class RotateSecret(Command):
    """A new secret, shown once; the old one signs nothing from the moment it is replaced."""

    endpoint_id: str


@dataclass(frozen=True, kw_only=True)
class RetryDelivery(Command):
    delivery_id: str


# What the handlers answer (read by attribute, or by name: flexhub.kernel.results).


@dataclass(frozen=True, kw_only=True)
class EndpointCreated(Result):
    id: str
    url: str
    event_types: list[str]
    active: bool
    secret: str = field(repr=False)  # the `whsec_` secret, in this answer only
    allow_private: bool
    partner_id: str | None


@dataclass(frozen=True, kw_only=True)
class EndpointDisabled(Result):
    id: str
    active: bool


@dataclass(frozen=True, kw_only=True)
class EndpointDeleted(Result):
    id: str
    deleted: bool
    deliveries: int  # its deliveries, deleted with it


@dataclass(frozen=True, kw_only=True)
class SecretRotated(Result):
    id: str
    secret: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class DeliveryRetried(Result):
    id: str
    state: str
