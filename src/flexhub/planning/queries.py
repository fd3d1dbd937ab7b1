"""Reading events: as the API shows them, as the forecast applies them, and the sales announced with their times
as the stock sync holds back ahead of them."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.kernel import clock
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


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """An event announced with the times its sales start and end (a live room's session, a flash sale), as the stock
    sync reads it: its SKU ids and the units each is expected to sell between them (None: what it has)."""

    tenant_id: uuid.UUID
    id: uuid.UUID
    name: str
    starts_at: datetime
    ends_at: datetime
    sku_ids: frozenset[uuid.UUID]
    units_per_sku: int | None


def timed_events(connection: Connection, *, ending_after: datetime, starting_before: datetime) -> list[TimedEvent]:
    """Every tenant's events with times that end after `ending_after` and start before `starting_before`."""
    return [TimedEvent(r.tenant_id, r.id, r.name, clock.as_utc(r.starts_at), clock.as_utc(r.ends_at),
                       frozenset(map(uuid.UUID, r.sku_ids)), r.units_per_sku)
            for r in repository.timed_events(connection, ending_after, starting_before)]


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
            "ends_on": row.ends_on, "starts_at": row.starts_at, "ends_at": row.ends_at,
            "units_per_sku": row.units_per_sku, "skus": list(row.skus), "channels": list(row.channels),
            "expected_uplift": row.expected_uplift, "discount_percent": row.discount_percent, "uplift": row.uplift,
            "created_by": row.created_by, "created_at": row.created_at}
