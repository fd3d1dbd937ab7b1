"""A reseller's orders held for credit, released once its credit covers them (after a payment, or a higher limit):
oldest hold first, each through ReleaseOrder (its own transaction, the reseller's terms locked, OrderUpdated and
the `order.release` audit) when the credit left covers it then; one it does not cover stays held and the next is
tried, as a new order that fits is taken while older ones wait. Wired into the reseller handlers by the
composition root (resellers import no ordering)."""

import uuid
from collections.abc import Callable
from typing import Any

from flexhub import cleaning
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ReleaseOrder
from flexhub.ordering.errors import NotOnHold

CREDIT_HOLD = "credit_limit"  # the reason ordering.screen holds an order over its reseller's credit


def release_covered(actor: Actor, partner_id: uuid.UUID, note: str, *, uow_factory: UnitOfWorkFactory,
                    dispatch: Callable[[Any], Any]) -> list[str]:
    """The ids of the orders released, in the order they were released."""
    with uow_factory(write=False) as uow:
        held = cleaning.held_orders(uow.connection, actor.tenant_id, partner_id, CREDIT_HOLD)
    released: list[str] = []
    for order_id, _ in held:
        try:
            answer = dispatch(ReleaseOrder(actor=actor, order_id=str(order_id), note=note, if_credit_covers=True))
        except NotOnHold:
            continue  # released or cancelled by someone else meanwhile
        if answer.status != "on_hold":
            released.append(answer.id)
    return released
