"""Identifiers: UUIDv7, time-ordered so that rows insert at the end of their indexes."""

import uuid

from uuid6 import uuid7


def new_id() -> uuid.UUID:
    return uuid.UUID(int=uuid7().int)
