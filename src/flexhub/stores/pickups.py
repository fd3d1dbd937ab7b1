"""Pick-ups at a store: the orders put aside for buyers, and handing one over when its code is shown. A code that
names no order waiting at this store is refused `fulfillment.wrong_pickup_code` with nothing changed."""

import uuid
from collections.abc import Callable
from typing import Any

from flexhub import fulfillment
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.stores import queries, repository
from flexhub.stores.commands import CollectAtStore
from flexhub.stores.schemas import PickupOut

WAITING = "awaiting_pickup"


def waiting(sales: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The store's orders awaiting pick-up, newest sale first, each with its sale."""
    return [{**order, "sale_id": sale["id"], "total": sale["total"], "currency": sale["currency"]}
            for sale in sales for order in sale["orders"] if order.get("state") == WAITING]


def collect_at_store(cmd: CollectAtStore, uow_factory: UnitOfWorkFactory,
                     dispatch: Callable[[Any], Any]) -> PickupOut:
    code = cmd.code.strip()
    with uow_factory(write=False) as uow:
        sales = queries.sales_at(uow, cmd.actor.tenant_id, cmd.location, limit=500)
    found = next((order for order in waiting(sales) if order.get("pickup_code") == code), None)
    if found is None:
        raise fulfillment.WrongPickupCode("no order waits at this store for this code")
    dispatch(fulfillment.PackShipment(actor=cmd.actor, shipment_id=found["shipment_id"]))  # handed over packed
    dispatch(fulfillment.CollectPickup(actor=cmd.actor, shipment_id=found["shipment_id"], code=code))
    with uow_factory() as uow:
        sale = repository.sale(uow.connection, cmd.actor.tenant_id, uuid.UUID(found["sale_id"]),
                               lock=True)
        orders = [{**o, "state": "collected"} if o.get("shipment_id") == found["shipment_id"] else o
                  for o in sale.orders]
        repository.update_sale(uow.connection, cmd.actor.tenant_id, sale.id, orders=orders)
        uow.commit()
    return PickupOut(order_id=found["order_id"], state="collected")
