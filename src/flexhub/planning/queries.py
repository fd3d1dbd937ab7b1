"""Reading events: as the API shows them, and as the forecast applies them."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from flexhub.planning import repository
from flexhub.planning.errors import UnknownEvent


@dataclass(frozen=True, slots=True)
class EventEffect:
    """What the forecast needs of an event: its dates, SKU and channel ids, and its demand multiplier."""

    starts_on: date
    ends_on: date
    sku_ids: frozenset[uuid.UUID]
    channel_ids: frozenset[uuid.UUID]  # empty: every channel
    uplift: float


def event_effects(connection: Connection, tenant_id: uuid.UUID, first: date, last: date) -> list[EventEffect]:
    return [EventEffect(r.starts_on, r.ends_on, frozenset(map(uuid.UUID, r.sku_ids)),
                        frozenset(map(uuid.UUID, r.channel_ids)), r.uplift)
            for r in repository.events_between(connection, tenant_id, first, last)]


def list_events(connection: Connection, tenant_id: uuid.UUID, *, first: date, last: date,
                sku: str | None = None) -> list[dict[str, Any]]:
    rows = repository.events_between(connection, tenant_id, first, last)
    return [event_view(r) for r in rows if sku is None or sku in r.skus]


def get_event(connection: Connection, tenant_id: uuid.UUID, event_id: str) -> dict[str, Any]:
    try:
        row = repository.event_by_id(connection, tenant_id, uuid.UUID(event_id))
    except ValueError:
        row = None
    if row is None:
        raise UnknownEvent(f"no event {event_id}", event_id=event_id)
    return event_view(row)


def event_view(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "name": row.name, "kind": row.kind, "starts_on": row.starts_on,
            "ends_on": row.ends_on, "skus": list(row.skus), "channels": list(row.channels),
            "expected_uplift": row.expected_uplift, "discount_percent": row.discount_percent, "uplift": row.uplift,
            "created_by": row.created_by, "created_at": row.created_at}
