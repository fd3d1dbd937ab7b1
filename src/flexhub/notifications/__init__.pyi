"""The public face of flexhub.notifications: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.notifications.commands import (
    CreateEndpoint,
    DeleteEndpoint,
    DeliveryRetried,
    DisableEndpoint,
    EndpointCreated,
    EndpointDeleted,
    EndpointDisabled,
    RetryDelivery,
    RotateSecret,
    SecretRotated,
)
from flexhub.notifications.errors import InvalidEventTypes, UnknownDelivery, UnknownEndpoint

__all__ = [
    "CreateEndpoint", "DeleteEndpoint", "DeliveryRetried", "DisableEndpoint", "EndpointCreated", "EndpointDeleted",
    "EndpointDisabled", "InvalidEventTypes", "RetryDelivery", "RotateSecret", "SecretRotated", "UnknownDelivery",
    "UnknownEndpoint",
]
