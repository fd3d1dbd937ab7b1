"""The only place with purchasing SQL; every statement is scoped by tenant (and by supplier for a partner)."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update

from flexhub.catalog.model import Sku
from flexhub.db.portable import for_update, insert_missing
from flexhub.identity.model import Partner
from flexhub.inventory.model import Location, StockMovement
from flexhub.kernel import clock
from flexhub.purchasing.errors import InvalidTransition, UnknownAsn, UnknownDiscrepancy, UnknownOrder, UnknownSupplier
from flexhub.purchasing.model import (
    Asn,
    AsnLine,
    Discrepancy,
    Factory,
    PurchaseOrder,
    PurchaseOrderLine,
    SupplierSku,
)
from flexhub.purchasing.rules import OPEN


def supplier(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    query = select(Partner).where(Partner.tenant_id == tenant_id, Partner.code == code, Partner.kind == "supplier")
    row = connection.execute(query).first()
    if row is None:
        raise UnknownSupplier(f"no supplier {code}", supplier=code)
    return row


def partner_kind(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> str | None:
    query = select(Partner.kind).where(Partner.tenant_id == tenant_id, Partner.id == partner_id)
    return connection.scalar(query)


def save_terms(connection: Connection, values: dict[str, Any]) -> None:
    """Insert the terms, or replace those the supplier already has for the SKU."""
    keys = ["tenant_id", "sku_id", "partner_id"]
    insert_missing(connection, SupplierSku.__table__, [values], keys)
    changes = {k: v for k, v in values.items() if k not in (*keys, "id")}
    connection.execute(update(SupplierSku).where(*(getattr(SupplierSku, k) == values[k] for k in keys))
                       .values(**changes))


def terms(connection: Connection, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID] | None = None) -> list[Any]:
    """Every supplier's terms, with the SKU and supplier codes, best (lowest priority, oldest) first."""
    query = (
        select(SupplierSku, Sku.code.label("sku"), Partner.code.label("supplier"),
               Factory.daily_capacity.label("factory_capacity"))
        .join(Sku, Sku.id == SupplierSku.sku_id).join(Partner, Partner.id == SupplierSku.partner_id)
        .outerjoin(Factory, Factory.partner_id == SupplierSku.partner_id)
        .where(SupplierSku.tenant_id == tenant_id)
        .order_by(SupplierSku.priority, SupplierSku.created_at, SupplierSku.id)
    )
    if sku_ids is not None:
        query = query.where(SupplierSku.sku_id.in_(list(sku_ids)))
    return list(connection.execute(query))


def save_factory(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, daily_capacity: int) -> None:
    row = {"partner_id": partner_id, "tenant_id": tenant_id, "daily_capacity": daily_capacity}
    insert_missing(connection, Factory.__table__, [row], ["partner_id"])
    connection.execute(update(Factory).where(Factory.tenant_id == tenant_id, Factory.partner_id == partner_id)
                       .values(daily_capacity=daily_capacity))


def factory_capacity(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> int | None:
    query = select(Factory.daily_capacity).where(Factory.tenant_id == tenant_id, Factory.partner_id == partner_id)
    return connection.scalar(query)


def booked_production(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, by: date) -> int:
    """Units a factory still has to make for open production orders due on or before `by`."""
    remaining = PurchaseOrderLine.quantity - PurchaseOrderLine.received
    left = func.sum(case((remaining > 0, remaining), else_=0))
    query = (
        select(left).join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(PurchaseOrder.tenant_id == tenant_id, PurchaseOrder.partner_id == partner_id,
               PurchaseOrder.kind == "production", PurchaseOrder.state.in_(OPEN | {"draft"}),
               PurchaseOrder.expected_on <= by)
    )
    return int(connection.scalar(query) or 0)


def drafted_units(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple[str, str], int]:
    """Units on the brand's draft orders per (SKU code, node code): ordered in intent, not yet sent."""
    query = (select(Sku.code, Location.code, func.sum(PurchaseOrderLine.quantity))
             .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
             .join(Sku, Sku.id == PurchaseOrderLine.sku_id).join(Location, Location.id == PurchaseOrder.location_id)
             .where(PurchaseOrder.tenant_id == tenant_id, PurchaseOrder.state == "draft")
             .group_by(Sku.code, Location.code))
    return {(sku, node): int(units) for sku, node, units in connection.execute(query)}


def insert_order(connection: Connection, values: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    connection.execute(insert(PurchaseOrder).values(**values))
    connection.execute(insert(PurchaseOrderLine), lines)


def order(connection: Connection, tenant_id: uuid.UUID, order_id: str | uuid.UUID, *,
          partner_id: uuid.UUID | None = None, lock: bool = False) -> Any:
    """One order; another supplier's, another tenant's or none at all are the same 404."""
    scope = [] if partner_id is None else [  # a supplier sees what was sent to it: the brand's drafts are not
        PurchaseOrder.partner_id == partner_id, PurchaseOrder.state != "draft"]
    return _one(connection, PurchaseOrder, tenant_id, order_id, scope, lock, UnknownOrder(
        f"no purchase order {order_id}"))


def lines(connection: Connection, order_ids: Iterable[uuid.UUID]) -> list[Any]:
    query = (
        select(PurchaseOrderLine, Sku.code.label("sku"))
        .join(Sku, Sku.id == PurchaseOrderLine.sku_id)
        .where(PurchaseOrderLine.order_id.in_(list(order_ids)))
        .order_by(PurchaseOrderLine.order_id, PurchaseOrderLine.line_no)
    )
    return list(connection.execute(query))


def update_order(connection: Connection, row: Any, **values: Any) -> None:
    """Compare-and-set on the version read: a concurrent change to the same order makes this one fail."""
    done = connection.execute(
        update(PurchaseOrder).where(PurchaseOrder.id == row.id, PurchaseOrder.version == row.version)
        .values(version=row.version + 1, updated_at=clock.now(), **values))
    if done.rowcount != 1:
        raise InvalidTransition("the purchase order changed meanwhile; read it again", state=row.state)


def update_line(connection: Connection, line_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(PurchaseOrderLine).where(PurchaseOrderLine.id == line_id).values(**values))


def insert_asn(connection: Connection, values: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    connection.execute(insert(Asn).values(**values))
    connection.execute(insert(AsnLine), lines)


def asn(connection: Connection, tenant_id: uuid.UUID, asn_id: str | uuid.UUID, *,
        partner_id: uuid.UUID | None = None, lock: bool = False) -> Any:
    scope = [] if partner_id is None else [Asn.partner_id == partner_id]
    return _one(connection, Asn, tenant_id, asn_id, scope, lock, UnknownAsn(f"no shipment notice {asn_id}"))


def asns_of(connection: Connection, order_ids: Iterable[uuid.UUID]) -> list[Any]:
    query = select(Asn).where(Asn.order_id.in_(list(order_ids))).order_by(Asn.created_at, Asn.id)
    return list(connection.execute(query))


def asn_lines(connection: Connection, asn_ids: Iterable[uuid.UUID]) -> list[Any]:
    query = (
        select(AsnLine, Sku.code.label("sku")).join(Sku, Sku.id == AsnLine.sku_id)
        .where(AsnLine.asn_id.in_(list(asn_ids))).order_by(AsnLine.asn_id, Sku.code)
    )
    return list(connection.execute(query))


def mark_received(connection: Connection, asn_row: Any, counted: dict[uuid.UUID, int], actor: str) -> None:
    """The notice received: only an announced one changes, so a second receipt finds nothing to do."""
    done = connection.execute(update(Asn).where(Asn.id == asn_row.id, Asn.state == "announced")
                              .values(state="received", received_at=clock.now(), received_by=actor))
    if done.rowcount != 1:
        raise InvalidTransition("the shipment notice changed meanwhile", state=asn_row.state)
    for sku_id, units in counted.items():
        connection.execute(update(AsnLine).where(AsnLine.asn_id == asn_row.id, AsnLine.sku_id == sku_id)
                           .values(received=units))


def insert_discrepancies(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(Discrepancy), rows)


def discrepancy(connection: Connection, tenant_id: uuid.UUID, discrepancy_id: str, *, lock: bool = False) -> Any:
    return _one(connection, Discrepancy, tenant_id, discrepancy_id, [], lock,
                UnknownDiscrepancy(f"no discrepancy {discrepancy_id}"))


def resolve(connection: Connection, discrepancy_id: uuid.UUID, resolution: str, actor: str) -> bool:
    done = connection.execute(
        update(Discrepancy).where(Discrepancy.id == discrepancy_id, Discrepancy.state == "open")
        .values(state="resolved", resolution=resolution, resolved_at=clock.now(), resolved_by=actor))
    return done.rowcount == 1


def location_code(connection: Connection, tenant_id: uuid.UUID, location_id: uuid.UUID) -> str:
    query = select(Location.code).where(Location.tenant_id == tenant_id, Location.id == location_id)
    return connection.execute(query).scalar_one()


def _one(connection: Connection, table: Any, tenant_id: uuid.UUID, row_id: str | uuid.UUID, scope: list,
         lock: bool, missing: Exception) -> Any:
    """The tenant's row of `table` with that id within `scope`, locked if asked; else `missing` (a 404)."""
    try:
        wanted = row_id if isinstance(row_id, uuid.UUID) else uuid.UUID(row_id)
    except ValueError as exc:
        raise missing from exc
    query = select(table).where(table.tenant_id == tenant_id, table.id == wanted, *scope)
    row = connection.execute(for_update(query, connection) if lock else query).first()
    if row is None:
        raise missing
    return row


def presale_posted(connection: Connection, tenant_id: uuid.UUID, reference: str) -> dict[uuid.UUID, int]:
    """Per SKU: the presale units the ledger holds under `reference` (an order's `po:<id>`)."""
    query = (select(StockMovement.sku_id, func.sum(StockMovement.on_hand_delta).label("units"))
             .where(StockMovement.tenant_id == tenant_id, StockMovement.pool == "presale",
                    StockMovement.reference == reference)
             .group_by(StockMovement.sku_id))
    return {r.sku_id: int(r.units) for r in connection.execute(query)}
