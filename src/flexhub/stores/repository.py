"""The only place with stores SQL; every statement is scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from flexhub.db.portable import for_update, insert_if_absent
from flexhub.stores.model import AlipayAccount, ShelfPrice, StoreSale, WechatPayAccount


def save_price(connection: Connection, values: dict[str, Any]) -> None:
    """Insert the SKU's shelf price, or replace the one it has."""
    if insert_if_absent(connection, _table(ShelfPrice), values):
        return
    keys = ("tenant_id", "sku_id")
    connection.execute(update(ShelfPrice).where(*(getattr(ShelfPrice, k) == values[k] for k in keys))
                       .values(**{k: v for k, v in values.items() if k not in keys}))


def prices(connection: Connection, tenant_id: uuid.UUID, sku_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(ShelfPrice).where(ShelfPrice.tenant_id == tenant_id, ShelfPrice.sku_id.in_(sku_ids))
    return {row.sku_id: row for row in connection.execute(query)}


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def save_wechatpay(connection: Connection, values: dict[str, Any]) -> None:
    if insert_if_absent(connection, _table(WechatPayAccount), values):
        return
    connection.execute(update(WechatPayAccount).where(WechatPayAccount.tenant_id == values["tenant_id"])
                       .values(**{k: v for k, v in values.items() if k != "tenant_id"}))


def wechatpay_account(connection: Connection, tenant_id: uuid.UUID) -> Any:
    return connection.execute(select(WechatPayAccount).where(WechatPayAccount.tenant_id == tenant_id)).first()


def save_alipay(connection: Connection, values: dict[str, Any]) -> None:
    if insert_if_absent(connection, _table(AlipayAccount), values):
        return
    connection.execute(update(AlipayAccount).where(AlipayAccount.tenant_id == values["tenant_id"])
                       .values(**{k: v for k, v in values.items() if k != "tenant_id"}))


def alipay_account(connection: Connection, tenant_id: uuid.UUID) -> Any:
    return connection.execute(select(AlipayAccount).where(AlipayAccount.tenant_id == tenant_id)).first()


def insert_sale(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(StoreSale).values(**values))


def sale(connection: Connection, tenant_id: uuid.UUID, sale_id: uuid.UUID, *, lock: bool = False) -> Any:
    query = select(StoreSale).where(StoreSale.tenant_id == tenant_id, StoreSale.id == sale_id)
    return connection.execute(for_update(query, connection) if lock else query).first()


def update_sale(connection: Connection, tenant_id: uuid.UUID, sale_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(StoreSale).where(StoreSale.tenant_id == tenant_id, StoreSale.id == sale_id)
                       .values(**values))


def mark_paid(connection: Connection, tenant_id: uuid.UUID, sale_id: uuid.UUID, **values: Any) -> bool:
    """Compare-and-set: a sale is paid once, however often WeChat Pay says so."""
    result = connection.execute(update(StoreSale).where(
        StoreSale.tenant_id == tenant_id, StoreSale.id == sale_id, StoreSale.state == "pending")
        .values(state="paid", **values))
    return result.rowcount == 1


def sales_at(connection: Connection, tenant_id: uuid.UUID, location_id: uuid.UUID, limit: int = 50) -> list[Any]:
    query = (select(StoreSale).where(StoreSale.tenant_id == tenant_id, StoreSale.location_id == location_id)
             .order_by(StoreSale.created_at.desc(), StoreSale.id.desc()).limit(limit))
    return list(connection.execute(query))


