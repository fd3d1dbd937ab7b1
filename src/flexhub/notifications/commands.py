"""Outbound webhook commands."""

from dataclasses import dataclass, field

from flexhub.kernel.messages import Command


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
