"""What the order writer's reads send and get back on PostgreSQL: a batch's many values as one array literal, and
`sql.READ`'s JSON arrays as the rows psycopg would have read (ids as UUIDs, as every other reader of them has)."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID


def array_text(values: Iterable[str]) -> str:
    """An array literal of text values, each quoted (a comma, brace, quote or the word NULL stays a value): psycopg
    dumps a list element by element in Python, 7 µs an order for the known-orders probe's two lists."""
    return "{" + ",".join(['"' + _quoted(value) + '"' for value in values]) + "}"


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"') if "\\" in value or '"' in value else value



class ChannelRow(NamedTuple):
    id: UUID
    tenant_id: UUID
    partner_id: UUID | None
    code: str
    pools: list[str]
    unpaid_hold_minutes: int | None
    screened: bool


class SkuRow(NamedTuple):
    id: UUID
    code: str
    is_bundle: bool


class KnownRow(NamedTuple):
    id: UUID
    channel_id: UUID
    external_id: str
    status: str
    channel_updated_at: datetime | None


class ComponentRow(NamedTuple):
    bundle_id: UUID
    component_id: UUID
    quantity: int


class LevelRow(NamedTuple):
    id: UUID
    sku_id: UUID
    location_id: UUID
    pool: str
    on_hand: int
    reserved: int
    safety: int
    in_transit: int
    sku_code: str
    location_code: str


def _channel(row: list[Any]) -> ChannelRow:
    ident, tenant, partner, *rest = row
    return ChannelRow(UUID(ident), UUID(tenant), partner and UUID(partner), *rest)


def _sku(row: list[Any]) -> SkuRow:
    return SkuRow(UUID(row[0]), row[1], row[2])


def _known(row: list[Any]) -> KnownRow:
    ident, channel, external_id, status, updated = row
    return KnownRow(UUID(ident), UUID(channel), external_id, status, updated and datetime.fromisoformat(updated))


def _component(row: list[Any]) -> ComponentRow:
    return ComponentRow(UUID(row[0]), UUID(row[1]), row[2])


def _level(row: list[Any]) -> LevelRow:
    ident, sku, location, *rest = row
    return LevelRow(UUID(ident), UUID(sku), UUID(location), *rest)


# `sql.READ`'s five columns, each a JSON array of rows, as the rows psycopg would have read (ids as UUIDs).
READ_ROWS: tuple[Callable[[list[Any]], Any], ...] = (_channel, _sku, _known, _component, _level)
