"""Saved filter writes: one added, one deleted, and what adding must check first (a name the owner already gave
that list, how many the owner keeps)."""

import uuid
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from flexhub.filters.model import SavedFilter


def name_taken(connection: Connection, tenant_id: uuid.UUID, owner: str, list_name: str, name: str) -> bool:
    query = select(SavedFilter.id).where(SavedFilter.tenant_id == tenant_id, SavedFilter.owner == owner,
                                         SavedFilter.list_name == list_name, SavedFilter.name == name)
    return connection.execute(query).first() is not None


def count_kept(connection: Connection, tenant_id: uuid.UUID, owner: str, list_name: str) -> int:
    query = select(func.count()).select_from(SavedFilter).where(
        SavedFilter.tenant_id == tenant_id, SavedFilter.owner == owner, SavedFilter.list_name == list_name)
    return connection.execute(query).scalar_one()


def insert_filter(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(SavedFilter).values(**values))


def delete_filter(connection: Connection, tenant_id: uuid.UUID, filter_id: uuid.UUID) -> None:
    connection.execute(delete(SavedFilter).where(SavedFilter.tenant_id == tenant_id, SavedFilter.id == filter_id))
