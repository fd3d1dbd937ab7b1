"""The only place with fulfilment SQL. Every query is scoped by tenant (the jobs' queues, and finding the
account an unauthenticated carrier push names, are across tenants)."""

import uuid
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from flexhub.db.portable import for_update, insert_missing
from flexhub.fulfillment.model import (
    CarrierAccount,
    CarrierPush,
    Shipment,
    ShipmentLine,
    ShipmentNotice,
    TrackingEvent,
    TrackingPoll,
)
from flexhub.fulfillment.rules import MOVING, OPEN, Held
from flexhub.inventory.model import Location
from flexhub.kernel import clock
from flexhub.ordering.model import Order


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


def update_notice(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID, **values: Any) -> int:
    query = update(ShipmentNotice).where(ShipmentNotice.tenant_id == tenant_id,
                                         ShipmentNotice.shipment_id == shipment_id)
    return connection.execute(query.values(**values)).rowcount


def location_code(connection: Connection, location_id: uuid.UUID) -> str:
    return connection.execute(select(Location.code).where(Location.id == location_id)).scalar_one()


def tracking_event_seen(connection: Connection, shipment_id: uuid.UUID, at: Any, state: str, carrier_code: str
                        ) -> bool:
    """Whether this scan is kept already (asked under the shipment's lock, so no two writers race on it)."""
    query = select(TrackingEvent.id).where(TrackingEvent.shipment_id == shipment_id, TrackingEvent.at == at,
                                           TrackingEvent.state == state, TrackingEvent.carrier_code == carrier_code)
    return connection.execute(query).first() is not None


def insert_tracking_event(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(TrackingEvent).values(**row))


def shipments_by_waybill(connection: Connection, tenant_id: uuid.UUID, numbers: list[str],
                         carrier: str | None) -> dict[str, uuid.UUID]:
    """Waybill number → shipment id among the tenant's shipments (of `carrier`; None: any carrier)."""
    query = select(Shipment.waybill_number, Shipment.id).where(Shipment.tenant_id == tenant_id,
                                                               Shipment.waybill_number.in_(set(numbers)))
    if carrier is not None:
        query = query.where(Shipment.carrier == carrier)
    return {row.waybill_number: row.id for row in connection.execute(query.order_by(Shipment.created_at))}


def pushing_account(connection: Connection, carrier: str, account_id: uuid.UUID) -> Any:
    """The carrier account a push URL names, of any tenant (the push is not authenticated until verified)."""
    query = select(CarrierAccount).where(CarrierAccount.id == account_id, CarrierAccount.carrier == carrier)
    return connection.execute(query).first()


def keep_push(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(CarrierPush).values(**row))


def push(connection: Connection, push_id: uuid.UUID) -> Any:
    return connection.execute(select(CarrierPush).where(CarrierPush.id == push_id)).first()


def settle_push(connection: Connection, push_id: uuid.UUID, **values: Any) -> None:
    query = update(CarrierPush).where(CarrierPush.id == push_id)
    connection.execute(query.values(attempts=CarrierPush.attempts + 1, **values))


def schedule_polls(connection: Connection, first_at: Any, limit: int) -> int:
    """A poll row for each moving shipment with a waybill that has none yet, first due at `first_at`."""
    query = (select(Shipment.id, Shipment.tenant_id).outerjoin(TrackingPoll, TrackingPoll.shipment_id == Shipment.id)
             .where(TrackingPoll.shipment_id.is_(None), Shipment.state.in_(MOVING),
                    Shipment.waybill_number.is_not(None), Shipment.carrier.is_not(None)).limit(limit))
    rows = [{"shipment_id": r.id, "tenant_id": r.tenant_id, "next_at": first_at, "attempts": 0}
            for r in connection.execute(query)]
    insert_missing(connection, TrackingPoll.__table__, rows, ["shipment_id"])
    return len(rows)


def due_polls(connection: Connection, now: Any, limit: int, *, tenant_id: uuid.UUID | None = None,
              shipment_id: uuid.UUID | None = None) -> list[Any]:
    """Moving shipments whose tracking is due to be asked for (across tenants, or one of a tenant's), with the
    buyer's phone."""
    query = (select(TrackingPoll.shipment_id, TrackingPoll.tenant_id, TrackingPoll.attempts, Shipment.carrier,
                    Shipment.waybill_number, Shipment.location_id, Order.shipping_address, Order.buyer)
             .join(Shipment, Shipment.id == TrackingPoll.shipment_id).join(Order, Order.id == Shipment.order_id)
             .where(TrackingPoll.next_at <= now, Shipment.state.in_(MOVING)))
    if shipment_id is not None:
        query = query.where(TrackingPoll.tenant_id == tenant_id, TrackingPoll.shipment_id == shipment_id)
    return list(connection.execute(query.order_by(TrackingPoll.next_at).limit(limit)))


def update_poll(connection: Connection, shipment_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(TrackingPoll).where(TrackingPoll.shipment_id == shipment_id).values(**values))


def poll_now(connection: Connection, tenant_id: uuid.UUID, shipment_id: uuid.UUID, now: Any) -> None:
    """Make a shipment's next poll due now (the exceptions queue's re-poll)."""
    insert_missing(connection, TrackingPoll.__table__, [{"shipment_id": shipment_id, "tenant_id": tenant_id,
                                                         "next_at": now, "attempts": 0}], ["shipment_id"])
    connection.execute(update(TrackingPoll).where(TrackingPoll.tenant_id == tenant_id,
                                                  TrackingPoll.shipment_id == shipment_id).values(next_at=now))
