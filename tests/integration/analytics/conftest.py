"""A shop with a few days of history for the KPIs: stock received, orders filled or not, some shipped.

Nothing ships orders yet (routing and fulfilment come later), so `ship` does what fulfilment will:
a `ship` movement per reservation, referencing the order, and the order marked shipped.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import update

from flexhub.bootstrap import Hub
from flexhub.inventory import ledger
from flexhub.inventory import repository as stock
from flexhub.inventory.ledger import Movement
from flexhub.inventory.rules import Delta
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.testing import builders
from flexhub.testing.clocks import MovableClock


def ship(hub: Hub, admin: Actor, order_id: uuid.UUID) -> None:
    with hub.uow() as uow:
        held = stock.active_reservations(uow.connection, admin.tenant_id, [order_id])
        keys = [(r.sku_id, r.location_id, r.pool) for r in held]
        levels = stock.lock_levels_by_key(uow.connection, admin.tenant_id, keys)
        ledger.apply(uow, admin.tenant_id, levels, [
            Movement(key, "ship", Delta(on_hand=-r.quantity, reserved=-r.quantity), "test-packer", "shipped",
                     str(order_id)) for key, r in zip(keys, held, strict=True)], cause="ship")
        stock.close_reservations(uow.connection, [r.id for r in held], "shipped", clock.now())
        _status_shipped(uow, order_id)
        uow.commit()


def _status_shipped(uow: Any, order_id: uuid.UUID) -> None:
    """The history's orders skip routing and fulfilment: their status is set as a fixture, not by ordering."""
    uow.connection.execute(update(Order).where(Order.id == order_id).values(status="shipped", updated_at=clock.now()))


def mark_shipped(hub: Hub, order_id: uuid.UUID) -> None:
    """Shipped as a status only (say, reported by the platform): no ledger movement."""
    with hub.uow() as uow:
        _status_shipped(uow, order_id)
        uow.commit()


@dataclass
class History:
    admin: Actor


@pytest.fixture
def history(hub: Hub, clock: MovableClock) -> History:
    """Starting three days before the clock's 2025-06-18 12:00 UTC; the clock is back there at the end.

    TEE-RED-M: 10 at WH-CENTRAL; web orders 2 (shipped after 2 h) and 1 (after 30 min).
    MUG-WHITE: 4 at STORE-SH; tmall orders 4 (shipped after 1 h, by status only) and 1 (awaiting stock).
    CAP-BLACK: never stocked; a web order of 1 awaits stock.
    """
    end = clock.at
    admin = builders.create_tenant(hub)
    for sku in ("TEE-RED-M", "MUG-WHITE", "CAP-BLACK"):
        builders.create_sku(hub, admin, sku)
    builders.create_location(hub, admin, "WH-CENTRAL")
    builders.create_location(hub, admin, "STORE-SH", "store")
    builders.create_channel(hub, admin, "web")
    builders.create_channel(hub, admin, "tmall")
    clock.advance(days=-3)  # 06-15 12:00
    builders.receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    builders.receive(hub, admin, "MUG-WHITE", "STORE-SH", 4)
    clock.advance(hours=22)  # 06-16 10:00
    first = builders.import_order(hub, admin, external_id="A-1")
    clock.advance(hours=1)
    second = builders.import_order(hub, admin, external_id="A-2", lines=[builders.line("TEE-RED-M", 1)])
    clock.advance(minutes=30)
    ship(hub, admin, second.order_id)
    clock.advance(minutes=30)  # 06-16 12:00
    ship(hub, admin, first.order_id)
    clock.advance(hours=21)  # 06-17 09:00
    mugs = builders.import_order(hub, admin, channel="tmall", external_id="B-1", lines=[builders.line("MUG-WHITE", 4)])
    clock.advance(minutes=30)
    late = builders.import_order(hub, admin, channel="tmall", external_id="B-2", lines=[builders.line("MUG-WHITE", 1)])
    assert late.status == "awaiting_stock"
    clock.advance(minutes=30)
    mark_shipped(hub, mugs.order_id)
    clock.at = end
    assert builders.import_order(hub, admin, external_id="A-3", lines=[builders.line("CAP-BLACK", 1)]).status \
        == "awaiting_stock"
    return History(admin)
