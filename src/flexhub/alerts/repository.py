"""The only place with alert SQL: open alerts read, raised and cleared, each scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from flexhub.alerts.model import StockAlert


def open_alerts(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(StockAlert).where(StockAlert.tenant_id == tenant_id, StockAlert.state == "open")
    return list(connection.execute(query))


def insert_alert(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(StockAlert).values(**values))


def clear_alert(connection: Connection, tenant_id: uuid.UUID, alert_id: uuid.UUID, at: Any) -> None:
    connection.execute(update(StockAlert).where(StockAlert.tenant_id == tenant_id, StockAlert.id == alert_id)
                       .values(state="cleared", cleared_at=at))
