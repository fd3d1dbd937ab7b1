"""The only place with the resellers' SQL; every query scoped by tenant."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from flexhub.db.portable import for_update
from flexhub.resellers.model import AccountEntry, ResellerBrand, ResellerPrice, ResellerTerms


def terms_of(connection: Connection, tenant_id: uuid.UUID, partner_ids: Iterable[uuid.UUID], *,
             lock: bool = False) -> dict[uuid.UUID, Any]:
    """Terms of these partners; locked (in partner order) on the write path so one reseller's orders are judged
    against its credit one transaction at a time."""
    query = (select(ResellerTerms).where(ResellerTerms.tenant_id == tenant_id,
                                         ResellerTerms.partner_id.in_(set(partner_ids)))
             .order_by(ResellerTerms.partner_id))
    return {row.partner_id: row for row in connection.execute(for_update(query, connection) if lock else query)}


def upsert_terms(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(delete(ResellerTerms).where(ResellerTerms.tenant_id == row["tenant_id"],
                                                   ResellerTerms.partner_id == row["partner_id"]))
    connection.execute(insert(ResellerTerms), [row])


def prices_of(connection: Connection, tenant_id: uuid.UUID, partner_ids: Iterable[uuid.UUID]) -> list[Any]:
    query = (select(ResellerPrice).where(ResellerPrice.tenant_id == tenant_id,
                                         ResellerPrice.partner_id.in_(set(partner_ids)))
             .order_by(ResellerPrice.sku, ResellerPrice.valid_from))
    return list(connection.execute(query))


def replace_prices(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID,
                   rows: list[dict[str, Any]]) -> None:
    connection.execute(delete(ResellerPrice).where(ResellerPrice.tenant_id == tenant_id,
                                                   ResellerPrice.partner_id == partner_id))
    if rows:
        connection.execute(insert(ResellerPrice), rows)


def balances(connection: Connection, tenant_id: uuid.UUID, partner_ids: Iterable[uuid.UUID], *,
             before: datetime | None = None) -> dict[uuid.UUID, int]:
    query = (select(AccountEntry.partner_id, func.coalesce(func.sum(AccountEntry.amount), 0))
             .where(AccountEntry.tenant_id == tenant_id, AccountEntry.partner_id.in_(set(partner_ids)))
             .group_by(AccountEntry.partner_id))
    if before is not None:
        query = query.where(AccountEntry.at < before)
    return {partner_id: int(total) for partner_id, total in connection.execute(query)}


def entries_between(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, start: datetime,
                    end: datetime) -> list[Any]:
    query = (select(AccountEntry).where(AccountEntry.tenant_id == tenant_id, AccountEntry.partner_id == partner_id,
                                        AccountEntry.at >= start, AccountEntry.at < end)
             .order_by(AccountEntry.at, AccountEntry.id))
    return list(connection.execute(query))


def order_entries(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[Any]:
    query = select(AccountEntry).where(AccountEntry.tenant_id == tenant_id, AccountEntry.order_id == order_id)
    return list(connection.execute(query))


def insert_entries(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(AccountEntry), rows)




def brand_of(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> Any:
    return connection.execute(select(ResellerBrand).where(ResellerBrand.tenant_id == tenant_id,
                                                          ResellerBrand.partner_id == partner_id)).first()


def upsert_brand(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(delete(ResellerBrand).where(ResellerBrand.tenant_id == row["tenant_id"],
                                                   ResellerBrand.partner_id == row["partner_id"]))
    connection.execute(insert(ResellerBrand), [row])


def all_terms(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = (select(ResellerTerms).where(ResellerTerms.tenant_id == tenant_id)
             .order_by(ResellerTerms.partner_id))
    return list(connection.execute(for_update(query, connection)))


def entry_exists(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, kind: str,
                 reference: str) -> bool:
    query = select(AccountEntry.id).where(AccountEntry.tenant_id == tenant_id, AccountEntry.partner_id == partner_id,
                                          AccountEntry.kind == kind, AccountEntry.reference == reference).limit(1)
    return connection.execute(query).first() is not None
