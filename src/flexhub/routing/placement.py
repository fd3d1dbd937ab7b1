"""Placing a locked order at the nodes the decision chose, inside the caller's transaction.

The reservations intake took (at locations in priority order) are released and taken again at
the chosen nodes by inventory's own `reservations.move`, against the levels locked before the
decision: one ledger posting records the move, and the guarded level updates refuse any
oversell. The decision is stored with every scored plan, node loads are counted, the order moves
to routed (or to exception, when no plan exists), and an event and an audit entry are recorded.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from flexhub import inventory
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import Holder, Level, reservations
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import advance_order
from flexhub.routing import policies, repository
from flexhub.routing.commands import RoutingOutcome
from flexhub.routing.events import OrderRouted, OrderUnroutable
from flexhub.routing.explain import decision_documents
from flexhub.routing.inputs import load_inputs
from flexhub.routing.rules import Decision, decide

UNROUTABLE_STATUS = "exception"


def route(uow: UnitOfWork, actor: Actor, order: Any, *, trigger: str, excluded: frozenset[str] = frozenset(),
          short_skus: Sequence[str] = (), previous: Any = None) -> RoutingOutcome:
    prepared, revision = policies.current(uow, order.tenant_id)
    day = policies.today(prepared.policy)
    inputs = load_inputs(uow, order, prepared.policy, day, excluded)
    decision = decide(inputs.order, inputs.nodes, inputs.stock, prepared)
    status = "routed" if decision.routed else UNROUTABLE_STATUS
    decision_id = new_id()
    if decision.routed:
        _move_reservations(uow, order, decision, inputs.held, inputs.levels, actor.name)
        repository.add_loads(uow.connection, order.tenant_id, day, _load_changes(decision, previous))
    nodes = [p.node.code for p in decision.plan.parcels] if decision.plan else []
    repository.insert_decision(uow.connection, {
        "id": decision_id, "tenant_id": order.tenant_id, "order_id": order.id,
        "outcome": "routed" if decision.routed else "unroutable", "trigger": trigger,
        "reason": decision.reason[:500], "actor": actor.name, "nodes": nodes, "excluded": sorted(excluded),
        "short_skus": list(short_skus), "policy_version": revision, "created_at": clock.now(),
        **decision_documents(decision, inputs.order),
    })
    _record_outcome(uow, actor, order, decision, status, str(decision_id), trigger)
    return RoutingOutcome(decision_id=decision_id, order_id=order.id,
                          outcome="routed" if decision.routed else "unroutable", status=status, nodes=nodes,
                          reason=decision.reason)


def _move_reservations(uow: UnitOfWork, order: Any, decision: Decision, held: list[Any], locked: list[Level],
                       actor: str) -> None:
    wanted = sorted((t.sku_id, t.location_id, t.pool, t.line_no, t.quantity) for t in decision.takes)
    current = sorted((r.sku_id, r.location_id, r.pool, r.line_no, r.quantity) for r in held)
    if wanted == current:
        return  # intake already holds the stock where routing wants it: nothing moves
    # An unpaid order's hold keeps lapsing when it lapsed before.
    expires_at = min((r.expires_at for r in held if r.expires_at is not None), default=None)
    keys = {(t.sku_id, t.location_id, t.pool) for t in decision.takes} | {
        (r.sku_id, r.location_id, r.pool) for r in held}
    levels = {key: lv for lv in locked if (key := (lv.sku_id, lv.location_id, lv.pool)) in keys}
    if len(levels) < len(keys):  # held in a pool the channel no longer sells from: lock that level too
        missing = sorted(keys - set(levels), key=str)
        levels.update(inventory.lock_levels_by_key(uow.connection, order.tenant_id, missing))
    reservations.move(uow, order.tenant_id, levels, held, decision.takes, Holder(order.id, actor, expires_at),
                      reason="routing")


def _load_changes(decision: Decision, previous: Any) -> dict[uuid.UUID, int]:
    """A parcel more at each chosen node; one less at each node a re-routed order leaves."""
    changes: Counter = Counter(p.node.location_id for p in decision.plan.parcels) if decision.plan else Counter()
    if previous is not None and previous.outcome == "routed" and previous.plan:
        changes.subtract(uuid.UUID(p["location_id"]) for p in previous.plan["parcels"])
    return dict(changes)


def _record_outcome(uow: UnitOfWork, actor: Actor, order: Any, decision: Decision, status: str,
                    decision_id: str, trigger: str) -> None:
    reason = None if decision.routed else f"routing: {decision.reason}"[:200]
    advance_order(uow, order, status, reason)
    if decision.plan:
        uow.record(OrderRouted(tenant_id=order.tenant_id, order_id=str(order.id), decision_id=decision_id,
                               nodes=list(decision.plan.nodes), split=decision.plan.is_split, trigger=trigger))
    else:
        uow.record(OrderUnroutable(tenant_id=order.tenant_id, order_id=str(order.id), decision_id=decision_id,
                                   reason=decision.reason))
    detail = {"decision": decision_id, "trigger": trigger, "nodes": list(decision.plan.nodes) if decision.plan else [],
              "reason": decision.reason}
    audit.record(uow, actor, audit.Audited(f"order.{trigger}", "order", order.id, detail))
