"""The public face of flexhub.notifications: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.notifications.commands import CreateEndpoint, DeleteEndpoint, DisableEndpoint, RetryDelivery, RotateSecret
from flexhub.notifications.errors import InvalidEventTypes, UnknownDelivery, UnknownEndpoint

__all__ = [
    "CreateEndpoint", "DeleteEndpoint", "DisableEndpoint", "InvalidEventTypes", "RetryDelivery", "RotateSecret",
    "UnknownDelivery", "UnknownEndpoint",
]
