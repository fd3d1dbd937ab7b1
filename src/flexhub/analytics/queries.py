"""What the KPIs read: one tenant's orders, order lines, reservations, ledger and SKUs, as Arrow tables.

Rows come from the application database through SQLAlchemy (either backend) into Polars frames
with fixed schemas, handed over as Arrow. Ids become text; times become naive UTC, so DuckDB sees
plain TIMESTAMPs and no time zone setting can shift a day.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
import pyarrow as pa
from sqlalchemy import Connection, Select, select

from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel
from flexhub.inventory.model import Location, Reservation, StockMovement
from flexhub.kernel import clock
from flexhub.ordering.model import Order, OrderLine

TEXT, COUNT, MOMENT = pl.String, pl.Int64, pl.Datetime("us")

SCHEMAS: dict[str, dict[str, Any]] = {
    "orders": {"order_id": TEXT, "channel": TEXT, "platform": TEXT, "status": TEXT, "received_at": MOMENT,
               "updated_at": MOMENT},
    "order_lines": {"order_id": TEXT, "line_no": COUNT, "sku": TEXT, "quantity": COUNT},
    "reservations": {"order_id": TEXT, "line_no": COUNT, "quantity": COUNT, "state": TEXT},
    "movements": {"sku": TEXT, "node": TEXT, "node_kind": TEXT, "pool": TEXT, "kind": TEXT, "on_hand_delta": COUNT,
                  "reserved_delta": COUNT, "reference": TEXT, "moved_at": MOMENT},
    "skus": {"sku": TEXT, "is_bundle": pl.Boolean},
}


def read_tables(connection: Connection, tenant_id: uuid.UUID) -> dict[str, pa.Table]:
    """Every table the KPIs need, for this tenant only."""
    return {name: frame(connection.execute(query).all(), SCHEMAS[name]).to_arrow()
            for name, query in _queries(tenant_id).items()}


def frame(rows: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([tuple(_plain(value) for value in row) for row in rows], schema=schema, orient="row")


def _queries(tenant_id: uuid.UUID) -> dict[str, Select[*tuple[Any, ...]]]:
    return {
        "orders": select(Order.id, Channel.code, Channel.platform, Order.status, Order.created_at, Order.updated_at)
        .join(Channel, Channel.id == Order.channel_id).where(Order.tenant_id == tenant_id),
        "order_lines": select(OrderLine.order_id, OrderLine.line_no, OrderLine.sku_code, OrderLine.quantity)
        .where(OrderLine.tenant_id == tenant_id),
        "reservations": select(Reservation.order_id, Reservation.line_no, Reservation.quantity, Reservation.state)
        .where(Reservation.tenant_id == tenant_id, Reservation.order_id.is_not(None)),
        "movements": select(Sku.code, Location.code, Location.kind, StockMovement.pool, StockMovement.kind,
                            StockMovement.on_hand_delta, StockMovement.reserved_delta, StockMovement.reference,
                            StockMovement.created_at)
        .join(Sku, Sku.id == StockMovement.sku_id).join(Location, Location.id == StockMovement.location_id)
        .where(StockMovement.tenant_id == tenant_id),
        "skus": select(Sku.code, Sku.is_bundle).where(Sku.tenant_id == tenant_id),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return clock.as_utc(value).replace(tzinfo=None)
    return value
