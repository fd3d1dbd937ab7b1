"""The SQL of replenishment (tenant-scoped): demand from order reservations, returns and stock from the ledger,
what each SKU and node is, and its stock position now (all read only); the learned forecast models kept and their
training runs."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, insert, select

from flexhub import channels, purchasing
from flexhub.catalog.model import Sku, Spu
from flexhub.inventory import PRESALE
from flexhub.inventory.model import Location, Reservation, StockLevel, StockMovement
from flexhub.kernel import clock
from flexhub.ordering.model import Order
from flexhub.replenishment.model import ForecastModel, ForecastRun

SELLABLE = StockLevel.pool != PRESALE  # presale is sold against future receipts: not stock to plan on


def demand_rows(connection: Connection, tenant_id: uuid.UUID, since: datetime) -> list[Any]:
    """Units reserved for orders placed since `since` and not released (still reserved, or shipped)."""
    placed = func.coalesce(Order.placed_at, Order.created_at)
    query = (
        select(Reservation.sku_id, Reservation.location_id, Order.channel_id, placed.label("placed_at"),
               Reservation.quantity)
        .join(Order, Order.id == Reservation.order_id)
        .where(Reservation.tenant_id == tenant_id, Order.tenant_id == tenant_id, Reservation.state != "released",
               Reservation.pool != PRESALE, placed >= since)
    )
    return list(connection.execute(query))


def movement_rows(connection: Connection, tenant_id: uuid.UUID, since: datetime) -> list[Any]:
    """Movements of sellable stock since `since`, in the order they happened."""
    query = (
        select(StockMovement.sku_id, StockMovement.location_id, StockMovement.kind, StockMovement.created_at,
               StockMovement.on_hand_delta, StockMovement.reserved_delta)
        .where(StockMovement.tenant_id == tenant_id, StockMovement.pool != PRESALE, StockMovement.created_at >= since)
        .order_by(StockMovement.created_at, StockMovement.id)
    )
    return list(connection.execute(query))


def available_before(connection: Connection, tenant_id: uuid.UUID, since: datetime) -> dict[tuple, int]:
    """Per (SKU, node): on hand − reserved of sellable stock just before `since`, from the ledger."""
    query = (
        select(StockMovement.sku_id, StockMovement.location_id,
               func.sum(StockMovement.on_hand_delta - StockMovement.reserved_delta).label("available"))
        .where(StockMovement.tenant_id == tenant_id, StockMovement.pool != PRESALE, StockMovement.created_at < since)
        .group_by(StockMovement.sku_id, StockMovement.location_id)
    )
    return {(r.sku_id, r.location_id): int(r.available) for r in connection.execute(query)}


def positions(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple, dict[str, int]]:
    """Per (SKU, node) now: available (on hand − reserved − safety) and in transit, sellable pools, and the
    units of open purchase and production orders not received yet (on order)."""
    query = (
        select(StockLevel.sku_id, StockLevel.location_id,
               func.sum(StockLevel.on_hand - StockLevel.reserved - StockLevel.safety).label("available"),
               func.sum(StockLevel.in_transit).label("in_transit"))
        .where(StockLevel.tenant_id == tenant_id, SELLABLE)
        .group_by(StockLevel.sku_id, StockLevel.location_id)
    )
    found = {(r.sku_id, r.location_id): {"available": int(r.available), "in_transit": int(r.in_transit),
                                         "on_order": 0} for r in connection.execute(query)}
    for key, units in purchasing.on_order(connection, tenant_id).items():
        found.setdefault(key, {"available": 0, "in_transit": 0, "on_order": 0})["on_order"] = units
    return found


class PlannedSku(NamedTuple):
    id: uuid.UUID
    code: str
    attributes: dict[str, Any]
    category: str | None


def skus(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, Any]:
    """SKUs (not bundles: a bundle's demand is its components') with their SPU's category. Where a supplier
    has terms for a SKU, its best supplier's lead time, MOQ, pack, unit cost and whether it is the brand's own
    factory (made_in_house) stand in for the SKU's own attributes of those names."""
    query = (
        select(Sku.id, Sku.code, Sku.attributes, Spu.category)
        .outerjoin(Spu, Spu.id == Sku.spu_id)
        .where(Sku.tenant_id == tenant_id, Sku.is_bundle.is_(False))
    )
    if ids is not None:
        query = query.where(Sku.id.in_(list(ids)))
    terms = purchasing.sourcing_terms(connection, tenant_id)
    return {r.id: PlannedSku(r.id, r.code, {**(r.attributes or {}), **terms.get(r.id, {})}, r.category)
            for r in connection.execute(query)}


def locations(connection: Connection, tenant_id: uuid.UUID) -> dict[uuid.UUID, Any]:
    query = select(Location.id, Location.code, Location.kind).where(Location.tenant_id == tenant_id)
    return {r.id: r for r in connection.execute(query)}


def channel_codes(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    return {key: row.code for key, row in channels.channels_by_id(connection, tenant_id, ids).items()}


def latest_model(connection: Connection, tenant_id: uuid.UUID) -> Any:
    """The tenant's most recently trained forecast model, or None."""
    query = (select(ForecastModel).where(ForecastModel.tenant_id == tenant_id)
             .order_by(ForecastModel.trained_at.desc(), ForecastModel.id.desc()).limit(1))
    return connection.execute(query).first()


def insert_model(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(ForecastModel), [row])


def insert_run(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(ForecastRun), [row])


def recent_runs(connection: Connection, tenant_id: uuid.UUID, limit: int) -> list[Any]:
    """The tenant's latest training runs, newest first."""
    query = (select(ForecastRun).where(ForecastRun.tenant_id == tenant_id)
             .order_by(ForecastRun.started_at.desc(), ForecastRun.id.desc()).limit(limit))
    return list(connection.execute(query))


def run_of_model(connection: Connection, tenant_id: uuid.UUID, model_id: uuid.UUID) -> Any:
    query = select(ForecastRun).where(ForecastRun.tenant_id == tenant_id, ForecastRun.model_id == model_id)
    return connection.execute(query).first()


def last_training(connection: Connection) -> dict[uuid.UUID, datetime]:
    """Every tenant that has trained a model, with when it last trained one or a run of it was tried: the ones the
    schedule retrains."""
    trained = {tenant_id: at for tenant_id, at in connection.execute(
        select(ForecastModel.tenant_id, func.max(ForecastModel.trained_at)).group_by(ForecastModel.tenant_id))}
    tried = last_runs(connection)
    return {tenant_id: max(clock.as_utc(at), *([tried[tenant_id]] if tenant_id in tried else []))
            for tenant_id, at in trained.items()}


def last_runs(connection: Connection) -> dict[uuid.UUID, datetime]:
    """Every tenant that ran a training (trained or refused), with when it last started one."""
    return {tenant_id: clock.as_utc(at) for tenant_id, at in connection.execute(
        select(ForecastRun.tenant_id, func.max(ForecastRun.started_at)).group_by(ForecastRun.tenant_id))}


def first_orders(connection: Connection, tenant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When each of these tenants first placed an order whose units count as demand (reserved, not presale)."""
    placed = func.coalesce(Order.placed_at, Order.created_at)
    query = (select(Reservation.tenant_id, func.min(placed)).join(Order, Order.id == Reservation.order_id)
             .where(Reservation.tenant_id.in_(list(tenant_ids)), Reservation.state != "released",
                    Reservation.pool != PRESALE).group_by(Reservation.tenant_id))
    return {tenant_id: clock.as_utc(at) for tenant_id, at in connection.execute(query)}
