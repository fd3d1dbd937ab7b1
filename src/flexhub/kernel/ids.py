"""Identifiers: UUIDv7, time-ordered so that rows insert at the end of their indexes."""

import os
import time
import uuid
from collections.abc import Iterator

from uuid6 import uuid7

_VERSION_7 = 0x7 << 76
_VARIANT = 0x2 << 62


def new_id() -> uuid.UUID:
    return uuid.UUID(int=uuid7().int)


def new_ids(count: int) -> Iterator[uuid.UUID]:
    """`count` UUIDv7 of this millisecond, increasing, from one read of the clock and of the random source.

    The 74 bits after the timestamp are a counter (22 bits) followed by 52 random bits, so the ids of one
    batch sort in the order they were handed out and two batches of the same millisecond still differ.
    """
    millis = time.time_ns() // 1_000_000
    entropy = os.urandom(7 * count)
    head = (millis & 0xFFFF_FFFF_FFFF) << 80 | _VERSION_7
    from_bytes, make, set_field = int.from_bytes, object.__new__, object.__setattr__
    for n in range(count):
        rest = (n << 52) | from_bytes(entropy[7 * n:7 * n + 7]) & 0xF_FFFF_FFFF_FFFF  # counter, then random
        made = make(uuid.UUID)  # uuid.UUID(int=...) checks what is correct by construction: a third of the cost
        set_field(made, "int", head | (rest >> 62) << 64 | _VARIANT | rest & 0x3FFF_FFFF_FFFF_FFFF)
        set_field(made, "is_safe", uuid.SafeUUID.unknown)
        yield made
