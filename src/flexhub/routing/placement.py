"""Placing locked orders at the nodes their decisions chose, inside the caller's transaction: one order, or a batch
of one tenant's orders one after another (inputs.Batch keeps the levels and loads each leaves for the next).

The reservations intake took (at locations in priority order) are released and taken again at
the chosen nodes by inventory's own `reservations.move`, against the levels locked before the
decision: one ledger posting per order records the move, and the guarded level updates refuse any
oversell. Each decision is stored with every scored plan, node loads are counted, each order moves
to routed (or to exception, when no plan exists), and an event and an audit entry are recorded per
order: written together for the batch by `Placements.write`, each findable by its order.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import Holder, reservations
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import advance_orders
from flexhub.routing import policies, repository
from flexhub.routing.commands import RoutingOutcome
from flexhub.routing.events import OrderRouted, OrderUnroutable
from flexhub.routing.explain import decision_documents
from flexhub.routing.inputs import Batch
from flexhub.routing.rules import Decision, decide

UNROUTABLE_STATUS = "exception"


def route(uow: UnitOfWork, actor: Actor, order: Any, *, trigger: str, excluded: frozenset[str] = frozenset(),
          short_skus: Sequence[str] = (), previous: Any = None) -> RoutingOutcome:
    """One locked order: a batch of one."""
    placements = Placements(uow, Batch(uow, order.tenant_id, [order]))
    outcome = placements.place(actor, order, trigger=trigger, excluded=excluded, short_skus=short_skus,
                               previous=previous)
    placements.write()
    return outcome


class Placements:
    """A batch's orders placed one after another; what each leaves besides its stock (its decision, status, event
    and audit entry) is written together by `write`, before the caller commits."""

    def __init__(self, uow: UnitOfWork, batch: Batch) -> None:
        self.uow, self.batch = uow, batch
        self._decisions: list[dict[str, Any]] = []
        self._moves: list[tuple[Any, str, str | None]] = []
        self._events: list[Any] = []
        self._audited: list[tuple[Actor, audit.Audited]] = []

    def place(self, actor: Actor, order: Any, *, trigger: str, excluded: frozenset[str] = frozenset(),
              short_skus: Sequence[str] = (), previous: Any = None) -> RoutingOutcome:
        """Decide and move the order's stock; raises AwaitingPayment (nothing done) for an order awaiting it."""
        batch = self.batch
        day = policies.today(batch.prepared.policy)
        inputs = batch.inputs(order, day, excluded)
        decision = decide(inputs.order, inputs.nodes, inputs.stock, batch.prepared)
        status = "routed" if decision.routed else UNROUTABLE_STATUS
        decision_id = new_id()
        if decision.routed:
            self._move_reservations(order, decision, inputs.held, actor.name)
            batch.count_loads(day, _load_changes(decision, previous))
        nodes = [p.node.code for p in decision.plan.parcels] if decision.plan else []
        self._decisions.append({
            "id": decision_id, "tenant_id": order.tenant_id, "order_id": order.id,
            "outcome": "routed" if decision.routed else "unroutable", "trigger": trigger,
            "reason": decision.reason[:500], "actor": actor.name, "nodes": nodes, "excluded": sorted(excluded),
            "short_skus": list(short_skus), "policy_version": batch.revision, "created_at": clock.now(),
            **decision_documents(decision, inputs.order),
        })
        self._record_outcome(actor, order, decision, status, str(decision_id), trigger)
        return RoutingOutcome(decision_id=decision_id, order_id=order.id,
                              outcome="routed" if decision.routed else "unroutable", status=status, nodes=nodes,
                              reason=decision.reason)

    def write(self) -> None:
        self.batch.write_loads()
        repository.insert_decisions(self.uow.connection, self._decisions)
        advance_orders(self.uow, self._moves)
        self.uow.record(*self._events)
        audit.record_each(self.uow, self._audited)

    def _move_reservations(self, order: Any, decision: Decision, held: list[Any], actor: str) -> None:
        wanted = sorted((t.sku_id, t.location_id, t.pool, t.line_no, t.quantity) for t in decision.takes)
        current = sorted((r.sku_id, r.location_id, r.pool, r.line_no, r.quantity) for r in held)
        if wanted == current:
            return  # intake already holds the stock where routing wants it: nothing moves
        # An unpaid order's hold keeps lapsing when it lapsed before.
        expires_at = min((r.expires_at for r in held if r.expires_at is not None), default=None)
        levels = self.batch.lock({(t.sku_id, t.location_id, t.pool) for t in decision.takes} | {
            (r.sku_id, r.location_id, r.pool) for r in held})
        after = reservations.move(self.uow, order.tenant_id, levels, held, decision.takes,
                                  Holder(order.id, actor, expires_at), reason="routing")
        self.batch.levels.update(after)

    def _record_outcome(self, actor: Actor, order: Any, decision: Decision, status: str, decision_id: str,
                        trigger: str) -> None:
        self._moves.append((order, status, None if decision.routed else f"routing: {decision.reason}"[:200]))
        if decision.plan:
            self._events.append(OrderRouted(tenant_id=order.tenant_id, order_id=str(order.id),
                                            decision_id=decision_id, nodes=list(decision.plan.nodes),
                                            split=decision.plan.is_split, trigger=trigger))
        else:
            self._events.append(OrderUnroutable(tenant_id=order.tenant_id, order_id=str(order.id),
                                                decision_id=decision_id, reason=decision.reason))
        detail = {"decision": decision_id, "trigger": trigger,
                  "nodes": list(decision.plan.nodes) if decision.plan else [], "reason": decision.reason}
        self._audited.append((actor, audit.Audited(f"order.{trigger}", "order", order.id, detail)))


def _load_changes(decision: Decision, previous: Any) -> dict[uuid.UUID, int]:
    """A parcel more at each chosen node; one less at each node a re-routed order leaves."""
    changes: Counter = Counter(p.node.location_id for p in decision.plan.parcels) if decision.plan else Counter()
    if previous is not None and previous.outcome == "routed" and previous.plan:
        changes.subtract(uuid.UUID(p["location_id"]) for p in previous.plan["parcels"])
    return dict(changes)
