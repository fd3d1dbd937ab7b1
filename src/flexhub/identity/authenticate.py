"""Turning a bearer token into an Actor, with a short in-process cache of verified keys."""

import threading
import time
from typing import Any

from sqlalchemy import Engine

from flexhub.identity import keys, queries
from flexhub.identity.errors import InvalidKey
from flexhub.kernel.messages import Actor

CACHE_SECONDS = 30.0


class KeyRing:
    """Verifies tokens against stored hashes; a revoked key stops working within CACHE_SECONDS."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def actor_for(self, token: str, request_id: str | None = None) -> Actor:
        return key_actor(self.key_for(token), request_id)

    def cached_actor(self, token: str, request_id: str | None = None) -> Actor | None:
        """Who the key acts as when it was verified within CACHE_SECONDS (no database, no waiting), else None."""
        row = self._cached(token)
        return None if row is None else key_actor(row, request_id)

    def _cached(self, token: str) -> Any | None:
        with self._lock:
            cached = self._cache.get(keys.hash_key(token))
        return cached[1] if cached and cached[0] > time.monotonic() else None

    def key_for(self, token: str) -> Any:
        """The key's row (id, tenant, partner, role, prefix); InvalidKey for an unknown, revoked or malformed one."""
        if (row := self._cached(token)) is not None:
            return row
        digest = keys.hash_key(token)
        prefix = keys.split(token)
        if prefix is None:
            raise InvalidKey("malformed API key")
        with self._engine.connect() as connection:
            row = queries.api_key_by_prefix(connection, prefix)
        if row is None or row.revoked_at is not None or not keys.matches(token, row.key_hash):
            raise InvalidKey("unknown or revoked API key")
        with self._lock:
            self._cache[digest] = (time.monotonic() + CACHE_SECONDS, row)
        return row


def key_actor(row: Any, request_id: str | None = None) -> Actor:
    """Who a key's row acts as (`key:<prefix>` in the audit log)."""
    return Actor(tenant_id=row.tenant_id, partner_id=row.partner_id, role=row.role, name=f"key:{row.prefix}",
                 request_id=request_id)
