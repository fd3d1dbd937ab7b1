"""Reading alerts: open (or cleared) stock-out and excess alerts, filterable by kind, SKU and node."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.alerts.model import StockAlert
from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location


def list_alerts(connection: Connection, tenant_id: uuid.UUID, *, kind: str | None = None, sku: str | None = None,
                location: str | None = None, state: str = "open", limit: int = 200) -> list[dict[str, Any]]:
    query = (
        select(StockAlert, Sku.code.label("sku"), Location.code.label("location"))
        .join(Sku, Sku.id == StockAlert.sku_id).join(Location, Location.id == StockAlert.location_id)
        .where(StockAlert.tenant_id == tenant_id, StockAlert.state == state)
        .order_by(StockAlert.raised_at.desc(), StockAlert.id.desc()).limit(limit)
    )
    if kind is not None:
        query = query.where(StockAlert.kind == kind)
    if sku is not None:
        query = query.where(Sku.code == sku)
    if location is not None:
        query = query.where(Location.code == location)
    return [{"id": str(r.id), "kind": r.kind, "sku": r.sku, "location": r.location, "state": r.state,
             "detail": r.detail, "raised_at": r.raised_at, "cleared_at": r.cleared_at}
            for r in connection.execute(query)]
