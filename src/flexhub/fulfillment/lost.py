"""A parcel the carrier lost: the shipment is written off as `lost` (its units left the node's stock when it
shipped, so nothing moves back), the same units are reserved again at the same node, the order goes back to
routed (through exception, as its state machine asks) and, after this transaction, a replacement shipment is
made with the same carrier. Too little stock left at the node refuses the whole step and changes nothing."""

from collections.abc import Callable
from typing import Any

from flexhub import inventory
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.fulfillment import repository, rules
from flexhub.fulfillment.commands import CreateShipment, LostReshipped, ReshipLostShipment
from flexhub.fulfillment.handlers import locked_shipment, step
from flexhub.inventory import reservations
from flexhub.ordering import advance_order


def reship_lost_shipment(cmd: ReshipLostShipment, uow_factory: UnitOfWorkFactory,
                         dispatch: Callable[[Any], Any]) -> LostReshipped:
    with uow_factory() as uow:
        order, shipment = locked_shipment(uow, cmd.actor, cmd.shipment_id)
        rules.check_transition(shipment.state, "lost")
        lines = [rules.Held(r.line_no, r.sku_id, r.pool, r.quantity) for r in repository.lines_of(uow.connection,
                                                                                                  [shipment.id])]
        node = shipment.location_id
        levels = inventory.lock_levels_by_key(uow.connection, order.tenant_id,
                                              sorted({(h.sku_id, node, h.pool) for h in lines}, key=str))
        takes = rules.reship_takes(lines, levels, node)
        reservations.hold(uow, order.tenant_id, reservations.ReservationPlan(levels, [takes]),
                          [reservations.Holder(order.id, cmd.actor.name)])
        step(uow, cmd.actor, order, shipment, "lost", None, reason=cmd.reason[:200])
        # shipped → exception → routed, as the state machine asks: the order has units to ship again
        advance_order(uow, advance_order(uow, order, "exception", "parcel lost"), "routed")
        code = repository.location_code(uow.connection, node)
        uow.commit()
    replacement = dispatch(CreateShipment(actor=cmd.actor, order_id=str(order.id), node=code,
                                          lines={h.line_no: h.quantity for h in lines}, carrier=shipment.carrier,
                                          service=shipment.service))
    return LostReshipped(id=shipment.id, state="lost", replacement=replacement)
