"""Message bases: commands ask (imperative), events tell (past tense)."""

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


@dataclass(frozen=True, kw_only=True)
class Actor:
    """Who asks: a tenant, an optional partner, a role and a name for the audit log."""

    tenant_id: uuid.UUID
    role: str
    name: str
    partner_id: uuid.UUID | None = None
    request_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Command:
    actor: Actor


@dataclass(frozen=True, kw_only=True)
class Event:
    tenant_id: uuid.UUID
    event_id: uuid.UUID = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=clock.now)

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__

    def body(self) -> dict[str, Any]:
        """The event's own fields, JSON-ready, without the envelope."""
        skip = {"tenant_id", "event_id", "occurred_at"}
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self) if f.name not in skip}


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # most of a body (an OrdersReceived lists a batch's orders as text)
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
