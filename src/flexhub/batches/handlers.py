"""Batch handlers: a batch started (checked whole before anything is written), and the runner that does each
waiting order's action through that action's own command, one order at a time, keeping what came of it."""

import threading
import uuid
from collections.abc import Callable
from typing import Any

import structlog

from flexhub import fulfillment, identity, ordering, routing
from flexhub.batches import repository
from flexhub.batches.commands import ACTIONS, MAX_ORDERS, BatchStarted, RunOrderBatches, StartOrderBatch
from flexhub.batches.errors import BadSelection, UnknownAction
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor

log = structlog.get_logger(__name__)
Dispatch = Callable[[Any], Any]


def start_order_batch(cmd: StartOrderBatch, uow_factory: UnitOfWorkFactory, wake: threading.Event) -> BatchStarted:
    """Refused whole, nothing written: an unknown action (422), a role the action's permission is not granted to
    (403), no orders, too many or an id twice (422), an order the actor cannot see (404, as one order's page)."""
    if cmd.action not in ACTIONS:
        raise UnknownAction(f"no batch action {cmd.action!r}: one of {', '.join(ACTIONS)}", action=cmd.action)
    if not identity.may(cmd.actor.role, ACTIONS[cmd.action]):
        raise identity.RoleForbidden(f"the {cmd.actor.role} role may not {cmd.action} orders")
    order_ids = _order_ids(cmd.order_ids)
    with uow_factory() as uow:
        found = ordering.order_numbers(uow.connection, cmd.actor.tenant_id, order_ids,
                                       partner_id=cmd.actor.partner_id)
        missing = [str(i) for i in order_ids if i not in found]
        if missing:
            raise ordering.UnknownOrder(f"no order {missing[0]}", orders=missing[:20])
        batch_id = new_id()
        batch: dict[str, Any] = {"id": batch_id, "tenant_id": cmd.actor.tenant_id, "partner_id": cmd.actor.partner_id,
                 "action": cmd.action, "options": {"reason": cmd.reason, "carrier": cmd.carrier}, "state": "running",
                 "total": len(order_ids), "role": cmd.actor.role, "created_by": cmd.actor.name,
                 "created_at": clock.now(), "finished_at": None}
        repository.insert_batch(uow.connection, batch, order_ids)
        audit.record(uow, cmd.actor, audit.Audited("batch.start", "order_batch", batch_id, {
            "action": cmd.action, "orders": len(order_ids)}))
        uow.commit()
    wake.set()
    return BatchStarted(batch_id, len(order_ids))


def _order_ids(texts: tuple[str, ...]) -> list[uuid.UUID]:
    if not texts:
        raise BadSelection("choose at least one order")
    if len(texts) > MAX_ORDERS:
        raise BadSelection(f"at most {MAX_ORDERS} orders in one batch; {len(texts)} were chosen", limit=MAX_ORDERS)
    try:
        ids = [uuid.UUID(str(text)) for text in texts]
    except ValueError as error:
        raise BadSelection(f"not an order id: {error}") from None
    if len(set(ids)) != len(ids):
        raise BadSelection("an order was chosen twice")
    return ids


def run_order_batches(cmd: RunOrderBatches, uow_factory: UnitOfWorkFactory, dispatch: Dispatch) -> int:
    """Each waiting order: claimed, its command run (in that command's own transaction), its outcome kept. One
    order's refusal is its outcome and never stops the others. Returns how many orders were worked."""
    with uow_factory(write=False) as uow:
        waiting = repository.waiting_items(uow.connection, cmd.limit)
    worked = 0
    for item in waiting:
        with uow_factory() as uow:
            claimed = repository.claim_item(uow.connection, item.batch_id, item.position)
            uow.commit()
        if not claimed:
            continue  # another runner has it
        state, outcome, error = _run(item, dispatch, uow_factory)
        with uow_factory() as uow:
            repository.finish_item(uow.connection, item.batch_id, item.position, state=state, outcome=outcome,
                                   error=error, at=clock.now())
            repository.close_finished(uow.connection, {item.batch_id}, clock.now())
            uow.commit()
        worked += 1
    return worked


def _run(item: Any, dispatch: Dispatch, uow_factory: UnitOfWorkFactory) -> tuple[str, str, str | None]:
    actor = Actor(tenant_id=item.tenant_id, role=item.role, name=f"{item.created_by} (batch)",
                  partner_id=item.partner_id)
    try:
        return "done", _act(actor, item, dispatch, uow_factory), None
    except FlexhubError as error:
        return "failed", error.code, error.message
    except Exception as error:  # noqa: BLE001 — one order's fault is its outcome, never the batch's end
        log.exception("batch order failed", batch=str(item.batch_id), order=str(item.order_id))
        return "failed", "batches.failed", str(error)[:500]


def _act(actor: Actor, item: Any, dispatch: Dispatch, uow_factory: UnitOfWorkFactory) -> str:
    order_id, options = str(item.order_id), item.options or {}
    if item.action == "hold":
        return str(dispatch(ordering.HoldOrder(actor=actor, order_id=order_id,
                                               reason=options.get("reason") or "held in a batch")).status)
    if item.action == "release":
        return str(dispatch(ordering.ReleaseOrder(actor=actor, order_id=order_id, note="released in a batch")).status)
    if item.action == "cancel":
        return str(dispatch(ordering.CancelOrder(actor=actor, order_id=order_id,
                                                 reason=options.get("reason") or "cancelled in a batch")).status)
    if item.action == "route":
        outcome = dispatch(routing.RouteOrder(actor=actor, order_id=order_id))
        return str(outcome.status)
    return _ship(actor, item, dispatch, uow_factory)


def _ship(actor: Actor, item: Any, dispatch: Dispatch, uow_factory: UnitOfWorkFactory) -> str:
    """One shipment from each node the order holds stock at (a split order gets one per node); the outcome is the
    order's status (routed: the parcels wait for the node to pick them)."""
    with uow_factory(write=False) as uow:
        held = ordering.order_view(uow.connection, item.tenant_id, item.order_id, partner_id=item.partner_id)
    nodes = sorted({r["location"] for r in held["reservations"] if r["state"] == "active"})
    if not nodes:
        raise fulfillment.NotShippable("the order holds no stock to ship", status=held["status"])
    for node in nodes:
        dispatch(fulfillment.CreateShipment(actor=actor, order_id=str(item.order_id), node=node,
                                            carrier=(item.options or {}).get("carrier")))
    return str(held["status"])  # a parcel made leaves the order routed until a node picks it
