"""Presale fed by purchase and production orders: an order's units still to come are presale stock at its node
while it is open (sent, changed, confirmed, partly received), promised for its expected date. Orders may sell them
ahead (presale lines reserve the presale pool). When goods arrive they leave presale and serve the presale orders
first, oldest first: those now hold the spot units that came in. A cancelled or closed order takes back what nobody
bought.

What an order backs is read from the ledger (presale movements referencing `po:<id>`), so each change of the order
posts only the difference between what it backs and what it should."""

import uuid
from typing import Any

from flexhub import inventory
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import PRESALE, SPOT, Delta, Holder, LevelKey, Movement, Take, ledger
from flexhub.purchasing import repository, rules

EXPECTED, ARRIVED, WITHDRAWN = "expected receipt", "arrived", "no longer expected"


def back_presale(uow: UnitOfWork, order: Any, actor: str, *, arrived: bool = False) -> None:
    """Bring the presale `order` (a row read after its change) backs to its open units, line by line."""
    c, reference = uow.connection, f"po:{order.id}"
    posted = repository.presale_posted(c, order.tenant_id, reference)
    for line in repository.lines(c, [order.id]):
        target = max(0, line.quantity - line.received) if order.state in rules.OPEN else 0
        change = target - posted.get(line.sku_id, 0)
        key = (line.sku_id, order.location_id, PRESALE)
        if change > 0:
            ledger.post(uow, order.tenant_id, [Movement(key, "adjust", Delta(on_hand=change), actor, EXPECTED,
                                                        reference)], cause="adjust")
        elif change < 0:
            _withdraw(uow, order.tenant_id, key, -change, actor, reference, arrived=arrived)


def _withdraw(uow: UnitOfWork, tenant_id: uuid.UUID, key: LevelKey, units: int, actor: str, reference: str, *,
              arrived: bool) -> None:
    """Take `units` out of presale. Arrived goods go first to the presale orders, oldest first: their reservations
    move to the spot units that came in. Otherwise only units nobody reserved are taken back (the rest wait for
    another receipt)."""
    spot = (key[0], key[1], SPOT)
    levels = _locked(uow, tenant_id, [key, spot])
    promised = min(levels[key].reserved, units)
    if arrived and promised > 0:
        _move_to_spot(uow, tenant_id, key, promised, actor)
        levels = _locked(uow, tenant_id, [key, spot])
    taken = min(units, levels[key].on_hand - levels[key].reserved)
    if taken > 0:
        ledger.apply(uow, tenant_id, levels, [Movement(key, "adjust", Delta(on_hand=-taken), actor,
                                                       ARRIVED if arrived else WITHDRAWN, reference)], cause="adjust")


def _move_to_spot(uow: UnitOfWork, tenant_id: uuid.UUID, key: LevelKey, units: int, actor: str) -> None:
    """The oldest presale reservations, `units` of them, held on the node's spot stock instead (one split if need
    be): their goods are the ones that arrived."""
    spot = (key[0], key[1], SPOT)
    left = units
    for held in inventory.active_reservations_at(uow.connection, tenant_id, key):
        if left <= 0:
            break
        levels = _locked(uow, tenant_id, [key, spot])
        moved = min(held.quantity, left)
        takes = [Take(levels[spot].id, key[0], key[1], SPOT, moved, held.line_no)]
        if held.quantity > moved:
            takes.append(Take(levels[key].id, key[0], key[1], PRESALE, held.quantity - moved, held.line_no))
        inventory.reservations.move(uow, tenant_id, levels, [held], takes,
                                    Holder(held.order_id, actor, held.expires_at), reason="presale arrived")
        left -= moved


def _locked(uow: UnitOfWork, tenant_id: uuid.UUID, keys: list[LevelKey]) -> dict[LevelKey, Any]:
    return inventory.lock_levels_by_key(uow.connection, tenant_id, keys)
