"""Reading the parcels a carrier's bill is judged against: the tenant's shipments by waybill, a carrier's parcels
shipped in a period, and each parcel's price on the rate card (its order's routed plan shared over the order's
parcels). Every query is scoped by tenant."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from flexhub.finance import rules
from flexhub.finance.carrier_rules import Parcel
from flexhub.finance.profit_queries import routed_shipping
from flexhub.finance.queries import CHUNK
from flexhub.fulfillment.model import Shipment


def parcels_billed(connection: Connection, tenant_id: uuid.UUID, waybills: Collection[str]) -> dict[str, Parcel]:
    """The tenant's parcels carrying these waybills, with their rate card price."""
    wanted = sorted(set(waybills))
    found: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        found += list(connection.execute(_parcels().where(
            Shipment.tenant_id == tenant_id, Shipment.waybill_number.in_(wanted[start:start + CHUNK]))))
    return {parcel.waybill_number: parcel for parcel in priced(connection, tenant_id, found)}


def parcels_shipped(connection: Connection, tenant_id: uuid.UUID, carrier: str, start: datetime,
                    end: datetime) -> list[Parcel]:
    """The carrier's parcels shipped in [start, end), with their rate card price: those it gave the waybill for, and
    those shipped under a waybill given by hand (no carrier recorded)."""
    query = _parcels().where(Shipment.tenant_id == tenant_id,
                             or_(Shipment.carrier == carrier, Shipment.carrier.is_(None)),
                             Shipment.waybill_number.is_not(None), Shipment.shipped_at >= start,
                             Shipment.shipped_at < end)
    return priced(connection, tenant_id, list(connection.execute(query)))


def priced(connection: Connection, tenant_id: uuid.UUID, rows: Iterable[Any]) -> list[Parcel]:
    """Each parcel with its share of its order's routed plan price (by parcel, largest remainders first)."""
    rows = list(rows)
    orders = sorted({row.order_id for row in rows})
    prices = routed_shipping(connection, tenant_id, orders)
    siblings: dict[uuid.UUID, list[str]] = defaultdict(list)
    for start in range(0, len(orders), CHUNK):
        query = (_parcels().where(Shipment.tenant_id == tenant_id, Shipment.waybill_number.is_not(None),
                                  Shipment.order_id.in_(orders[start:start + CHUNK]))
                 .order_by(Shipment.created_at, Shipment.id))
        for row in connection.execute(query):
            siblings[row.order_id].append(row.waybill_number)
    shares: dict[str, int] = {}
    for order_id, waybills in siblings.items():
        if order_id in prices:
            shares |= dict(zip(waybills, rules.allocate(prices[order_id], [1] * len(waybills)), strict=True))
    return [Parcel(row.waybill_number, str(row.order_id), shares.get(row.waybill_number)) for row in rows]


def _parcels() -> Any:
    return select(Shipment.order_id, Shipment.waybill_number)
