"""The only place with fulfilment SQL. Every query is scoped by tenant (the jobs' queues are across tenants)."""

import uuid
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from flexhub.db.portable import for_update
from flexhub.fulfillment.model import CarrierAccount, Shipment, ShipmentLine, ShipmentNotice
from flexhub.fulfillment.rules import OPEN, Held
from flexhub.inventory.model import Location
from flexhub.kernel import clock


def lock_shipment(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> Any:
    query = select(Shipment).where(Shipment.tenant_id == tenant_id, Shipment.id == shipment_id)
    return connection.execute(for_update(query, connection)).first()


def shipment(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> Any:
    query = select(Shipment).where(Shipment.tenant_id == tenant_id, Shipment.id == shipment_id)
    return connection.execute(query).first()


def order_shipments(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[Any]:
    query = select(Shipment).where(Shipment.tenant_id == tenant_id, Shipment.order_id == order_id)
    return list(connection.execute(query.order_by(Shipment.created_at, Shipment.id)))


def lines_of(connection: Connection, shipment_ids: list[uuid.UUID]) -> list[Any]:
    query = select(ShipmentLine).where(ShipmentLine.shipment_id.in_(shipment_ids))
    return list(connection.execute(query.order_by(ShipmentLine.line_no, ShipmentLine.id)))


def committed(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, location_id: uuid.UUID
              ) -> list[Held]:
    """Units the order's open shipments at this node took (reserved, not shipped yet)."""
    query = (select(ShipmentLine).join(Shipment, Shipment.id == ShipmentLine.shipment_id)
             .where(Shipment.tenant_id == tenant_id, Shipment.order_id == order_id,
                    Shipment.location_id == location_id, Shipment.state.in_(OPEN)))
    return [Held(r.line_no, r.sku_id, r.pool, r.quantity) for r in connection.execute(query)]


def insert_shipment(connection: Connection, row: dict[str, Any], lines: list[Held]) -> None:
    connection.execute(insert(Shipment).values(**row))
    connection.execute(insert(ShipmentLine), [
        {"shipment_id": row["id"], "line_no": h.line_no, "sku_id": h.sku_id, "pool": h.pool,
         "quantity": h.quantity} for h in lines])


def update_shipment(connection: Connection, shipment_id: uuid.UUID, **values: Any) -> None:
    values.setdefault("updated_at", clock.now())
    connection.execute(update(Shipment).where(Shipment.id == shipment_id).values(**values))


def issue_waybill(connection: Connection, shipment_id: uuid.UUID, **values: Any) -> bool:
    """Store a waybill the carrier gave, unless one was stored meanwhile (compare-and-set)."""
    query = update(Shipment).where(Shipment.id == shipment_id, Shipment.waybill_state.in_(("pending", "failed")))
    return connection.execute(query.values(**values, waybill_state="issued", waybill_error=None,
                                           updated_at=clock.now())).rowcount == 1


def pending_waybills(connection: Connection, limit: int, max_attempts: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(tenant_id, shipment_id) of shipments waiting for a waybill, across tenants."""
    query = select(Shipment.tenant_id, Shipment.id).where(Shipment.waybill_state == "pending", Shipment.state.in_(OPEN),
                                      Shipment.waybill_attempts < max_attempts)
    return [(r.tenant_id, r.id) for r in connection.execute(query.order_by(Shipment.created_at).limit(limit))]


def carrier_account(connection: Connection, tenant_id: uuid.UUID, carrier: str, location_id: uuid.UUID) -> Any:
    """The node's own account with this carrier, else the tenant's."""
    query = (select(CarrierAccount).where(
        CarrierAccount.tenant_id == tenant_id, CarrierAccount.carrier == carrier,
        or_(CarrierAccount.location_id == location_id, CarrierAccount.location_id.is_(None)))
        .order_by(CarrierAccount.location_id.is_(None), CarrierAccount.created_at.desc()))
    return connection.execute(query).first()


def insert_carrier_account(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(CarrierAccount).values(**row))


def add_notice(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> None:
    connection.execute(insert(ShipmentNotice).values(shipment_id=shipment_id, tenant_id=tenant_id, state="pending",
                                                     attempts=0, next_attempt_at=clock.now()))


def due_notices(connection: Connection, limit: int) -> list[Any]:
    query = select(ShipmentNotice).where(ShipmentNotice.state == "pending",
                                         ShipmentNotice.next_attempt_at <= clock.now())
    return list(connection.execute(query.order_by(ShipmentNotice.next_attempt_at).limit(limit)))


def update_notice(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID, **values: Any) -> int:
    query = update(ShipmentNotice).where(ShipmentNotice.tenant_id == tenant_id,
                                         ShipmentNotice.shipment_id == shipment_id)
    return connection.execute(query.values(**values)).rowcount


def location_code(connection: Connection, location_id: uuid.UUID) -> str:
    return connection.scalar(select(Location.code).where(Location.id == location_id))
