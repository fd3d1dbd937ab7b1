"""The only place with cleaning's SQL; every query scoped by tenant."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from flexhub.cleaning.model import CleaningRule, OrderFingerprint, OrderHold


def rules_of(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(CleaningRule).where(CleaningRule.tenant_id == tenant_id).order_by(CleaningRule.position)
    return list(connection.execute(query))


def replace_rules(connection: Connection, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    connection.execute(delete(CleaningRule).where(CleaningRule.tenant_id == tenant_id))
    if rows:
        connection.execute(insert(CleaningRule), rows)


def seen_since(connection: Connection, tenant_id: uuid.UUID, since: datetime, buyers: set[str], addresses: set[str],
               devices: set[str]) -> list[Any]:
    """Earlier orders of these buyers, addresses or devices since `since`: their keys and when each was seen, what the
    history rules read. Not the rows' ids: a batch's read returns every order of its buyers in the window (the demo's
    1,151 for five buyers), read inside the import's write, and decoding two UUIDs a row was 40 % of its time."""
    matches = [OrderFingerprint.buyer_key.in_(buyers), OrderFingerprint.address_key.in_(addresses)]
    if devices:
        matches.append(OrderFingerprint.device_key.in_(devices))
    query = (select(OrderFingerprint.buyer_key, OrderFingerprint.address_key, OrderFingerprint.device_key,
                    OrderFingerprint.lines_key, OrderFingerprint.seen_at)
             .where(OrderFingerprint.tenant_id == tenant_id, OrderFingerprint.seen_at >= since, or_(*matches)))
    return list(connection.execute(query))


def known_buyers(connection: Connection, tenant_id: uuid.UUID, buyers: set[str]) -> set[str]:
    query = (select(OrderFingerprint.buyer_key).distinct()
             .where(OrderFingerprint.tenant_id == tenant_id, OrderFingerprint.buyer_key.in_(buyers)))
    return set(connection.execute(query).scalars())


def insert_fingerprints(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(OrderFingerprint), rows)


def insert_holds(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(OrderHold), rows)


def close_holds(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, *, by: str, outcome: str,
                at: datetime) -> int:
    query = (update(OrderHold)
             .where(OrderHold.tenant_id == tenant_id, OrderHold.order_id == order_id, OrderHold.closed_at.is_(None))
             .values(closed_at=at, closed_by=by, outcome=outcome))
    return connection.execute(query).rowcount


def holds_of(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID], *,
             open_only: bool = True) -> list[Any]:
    query = select(OrderHold).where(OrderHold.tenant_id == tenant_id, OrderHold.order_id.in_(set(order_ids)))
    if open_only:
        query = query.where(OrderHold.closed_at.is_(None))
    return list(connection.execute(query.order_by(OrderHold.held_at)))
