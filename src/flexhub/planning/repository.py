"""The only place with planning SQL, each statement scoped by tenant."""

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, String, delete, func, insert, select, type_coerce

from flexhub.planning.model import PlanningEvent, SalesDay

CHUNK = 500  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


class ImportedDay(NamedTuple):
    sku_id: uuid.UUID
    location_id: uuid.UUID
    channel_id: uuid.UUID | None
    day: date
    units: int
    stocked_out: bool


def stored_days(connection: Connection, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID], first: date,
                last: date) -> list[Any]:
    """Imported days of these SKUs between `first` and `last` (inclusive)."""
    found: list[Any] = []
    ids = sorted(set(sku_ids), key=str)
    for start in range(0, len(ids), CHUNK):
        query = (select(SalesDay.id, SalesDay.sku_id, SalesDay.location_id, SalesDay.channel_id, SalesDay.day)
                 .where(SalesDay.tenant_id == tenant_id, SalesDay.sku_id.in_(ids[start:start + CHUNK]),
                        SalesDay.day >= first, SalesDay.day <= last))
        found.extend(connection.execute(query))
    return found


def delete_days(connection: Connection, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    for start in range(0, len(ids), CHUNK):
        connection.execute(delete(SalesDay).where(SalesDay.tenant_id == tenant_id,
                                                  SalesDay.id.in_(ids[start:start + CHUNK])))


def insert_days(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(SalesDay), rows)


def imported_sales(connection: Connection, tenant_id: uuid.UUID, since: date) -> list[Any]:
    """(sku_id, location_id, channel_id, day, units, stocked_out) of every imported day from `since` on. A year of a
    brand's days is hundreds of thousands of rows naming a few thousand ids: each id is read once (SQLite hands them
    back as text, and parsing each row's three took most of a plan's time in the demo)."""
    ids: dict[Any, uuid.UUID] = {}

    def read(value: Any) -> uuid.UUID:
        found = ids.get(value)
        if found is None:
            found = ids[value] = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return found

    query = (select(type_coerce(SalesDay.sku_id, String), type_coerce(SalesDay.location_id, String),
                    type_coerce(SalesDay.channel_id, String), SalesDay.day, SalesDay.units, SalesDay.stocked_out)
             .where(SalesDay.tenant_id == tenant_id, SalesDay.day >= since))
    return [ImportedDay(read(sku), read(location), None if channel is None else read(channel), day, units, out)
            for sku, location, channel, day, units, out in connection.execute(query)]


def first_imported_days(connection: Connection, tenant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, date]:
    """These tenants' first imported day that sold a unit, each (those that imported none left out)."""
    query = (select(SalesDay.tenant_id, func.min(SalesDay.day))
             .where(SalesDay.tenant_id.in_(list(tenant_ids)), SalesDay.units > 0).group_by(SalesDay.tenant_id))
    return {tenant_id: day for tenant_id, day in connection.execute(query)}


def insert_event(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(PlanningEvent).values(**values))


def event_by_id(connection: Connection, tenant_id: uuid.UUID, event_id: uuid.UUID) -> Any:
    query = select(PlanningEvent).where(PlanningEvent.tenant_id == tenant_id, PlanningEvent.id == event_id)
    return connection.execute(query).first()


def events_between(connection: Connection, tenant_id: uuid.UUID, first: date, last: date) -> list[Any]:
    """Events with a day between `first` and `last` (inclusive), earliest first."""
    query = (select(PlanningEvent)
             .where(PlanningEvent.tenant_id == tenant_id, PlanningEvent.ends_on >= first,
                    PlanningEvent.starts_on <= last)
             .order_by(PlanningEvent.starts_on, PlanningEvent.id))
    return list(connection.execute(query))


def timed_events(connection: Connection, ending_after: datetime, starting_before: datetime) -> list[Any]:
    """Every tenant's events with times, ending after `ending_after` and starting before `starting_before`: the
    stock sync's planner reads them for all the tenants it plans, a few times a minute (by ends_at's index)."""
    query = (select(PlanningEvent.tenant_id, PlanningEvent.id, PlanningEvent.name, PlanningEvent.starts_at,
                    PlanningEvent.ends_at, PlanningEvent.sku_ids, PlanningEvent.units_per_sku)
             .where(PlanningEvent.ends_at > ending_after, PlanningEvent.starts_at < starting_before)
             .order_by(PlanningEvent.starts_at, PlanningEvent.id))
    return list(connection.execute(query))
