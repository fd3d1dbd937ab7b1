"""Counting oversold units from the database after a run, never from what the callers were told.

Four views of the same promise, summed: reservations past the stock received, level rows whose
reserved exceeds on hand, reservations the level rows do not account for, and every unit by which
the ledger and its projection disagree (`verify_ledger`).

After a day that also ships and takes returns (the demo), `committed_beyond_supply` counts per SKU the
units shipped or held beyond every unit that ever came in: what can still go wrong where the CHECK
constraint on a level row (reserved <= on hand) cannot.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from flexhub.inventory.model import Reservation, StockLevel, StockMovement
from flexhub.inventory.queries import verify_ledger
from flexhub.ordering.model import Order


@dataclass(frozen=True)
class StockAudit:
    received: int  # units that came in, by the ledger
    reserved: int  # units held by active reservations
    beyond_stock: int
    beyond_on_hand: int
    unaccounted: int
    ledger_differences: int
    orders_reserved: int  # orders stored as reserved
    reserving_transactions: int  # one ledger posting (one timestamp) per transaction that reserved

    @property
    def oversold(self) -> int:
        return self.beyond_stock + self.beyond_on_hand + self.unaccounted + self.ledger_differences


def audit_stock(connection: Connection, tenant_id: uuid.UUID) -> StockAudit:
    received = _by_level(connection, select(
        StockMovement.sku_id, StockMovement.location_id, StockMovement.pool, func.sum(StockMovement.on_hand_delta),
    ).where(StockMovement.tenant_id == tenant_id, StockMovement.on_hand_delta > 0))
    held = _by_level(connection, select(
        Reservation.sku_id, Reservation.location_id, Reservation.pool, func.sum(Reservation.quantity),
    ).where(Reservation.tenant_id == tenant_id, Reservation.state == "active"))
    levels = {(r.sku_id, r.location_id, r.pool): r for r in connection.execute(
        select(StockLevel).where(StockLevel.tenant_id == tenant_id))}
    differences = verify_ledger(connection, tenant_id)
    orders = connection.execute(
        select(func.count()).where(Order.tenant_id == tenant_id, Order.status == "reserved")).scalar_one()
    postings = connection.execute(select(func.count(func.distinct(StockMovement.created_at))).where(
        StockMovement.tenant_id == tenant_id, StockMovement.kind == "reserve")).scalar_one()
    return StockAudit(
        received=sum(received.values()),
        reserved=sum(held.values()),
        beyond_stock=sum(max(0, units - received.get(key, 0)) for key, units in held.items()),
        beyond_on_hand=sum(max(0, lv.reserved - lv.on_hand) for lv in levels.values()),
        unaccounted=sum(max(0, units - (levels[key].reserved if key in levels else 0)) for key, units in held.items()),
        ledger_differences=ledger_gap(differences),
        orders_reserved=orders,
        reserving_transactions=postings,
    )


def _by_level(connection: Connection, query: Select[Any, Any, Any, Any]) -> dict[tuple[Any, ...], int]:
    grouped = query.group_by(*query.selected_columns[:3])
    return {(r[0], r[1], r[2]): int(r[3]) for r in connection.execute(grouped)}


def ledger_gap(differences: list[dict]) -> int:
    """Every unit by which the ledger and its projection disagree, over the rows `verify_ledger` lists."""
    return sum(abs(d["ledger"][k] - d["levels"][k]) for d in differences for k in d["ledger"])


# Moves between nodes bring no unit in: a transfer's units came in once, where they were first received.
MOVES = ("transfer_out", "transfer_in")


def committed_beyond_supply(connection: Connection, tenant_id: uuid.UUID) -> int:
    """Per SKU, units shipped plus units held by active reservations beyond the units that ever came in
    (receipts, returns, counts and adjustments, by the ledger), summed over the SKUs."""
    supply = dict(connection.execute(
        select(StockMovement.sku_id, func.sum(StockMovement.on_hand_delta))
        .where(StockMovement.tenant_id == tenant_id, StockMovement.kind.not_in((*MOVES, "ship")))
        .group_by(StockMovement.sku_id)).all())
    shipped = dict(connection.execute(
        select(StockMovement.sku_id, -func.sum(StockMovement.on_hand_delta))
        .where(StockMovement.tenant_id == tenant_id, StockMovement.kind == "ship")
        .group_by(StockMovement.sku_id)).all())
    held = dict(connection.execute(
        select(Reservation.sku_id, func.sum(Reservation.quantity))
        .where(Reservation.tenant_id == tenant_id, Reservation.state == "active")
        .group_by(Reservation.sku_id)).all())
    return sum(max(0, int(shipped.get(sku, 0)) + int(held.get(sku, 0)) - int(supply.get(sku, 0)))
               for sku in set(shipped) | set(held))
