"""The routing decision, pure: which node ships each line of an order, and why.

Single-node plans first: a split is chosen only when no single node can serve the order, or
when it beats the best single-node plan by more than the policy's margin. A pickup order goes
to its store or nowhere. The decision keeps every scored plan and every refused node with its
reasons, so that "why this node" has an answer. This module and its helpers (candidates, plans,
rates, geo, policy) import no database or web code.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flexhub.inventory.rules import Take
from flexhub.routing.candidates import (
    Candidate,
    Group,
    Line,
    Node,
    OrderToRoute,
    Stock,
    add_reason,
    find_candidates,
    groups_of,
)
from flexhub.routing.plans import Plan, Scorer, greedy_plan, single_node_plans, split_floor, split_plans
from flexhub.routing.policy import PreparedPolicy, RoutingPolicy

MOST_SPLITS_KEPT = 10  # split plans kept with a decision, best first (every single-node plan is kept)

__all__ = ["awaits_payment", "Decision", "Line", "Node", "OrderToRoute", "Plan", "Stock", "decide", "takes_for"]


@dataclass(frozen=True)
class Decision:
    plan: Plan | None  # None: the order cannot be routed
    reason: str
    takes: tuple[Take, ...] = ()  # the stock the chosen plan holds, per line and level
    candidates: tuple[Plan, ...] = ()  # every scored plan, best first
    rejected: dict[str, Sequence[str]] = field(default_factory=dict)  # node code -> why it may not serve (a line)

    @property
    def routed(self) -> bool:
        return self.plan is not None


def decide(order: OrderToRoute, nodes: Iterable[Node], stock: Iterable[Stock],
           policy: PreparedPolicy | RoutingPolicy) -> Decision:
    """Route `order` over `nodes` holding `stock`; prepare a policy once and pass it for many decisions."""
    if isinstance(policy, RoutingPolicy):
        policy = PreparedPolicy(policy)
    groups = groups_of(order.lines)
    candidates, rejected = find_candidates(order, nodes, stock, policy, groups)
    scorer = Scorer(order, groups, policy)
    singles, unscored = single_node_plans(candidates, groups, scorer)
    best = singles[0] if singles else None
    for candidate in unscored:
        why = f"its cheapest parcel costs at least {candidate.floor:.0f}, more than {best.score:.0f}" if best else ""
        add_reason(rejected, candidate.node.code, why)
    splits = _split_plans(order, candidates, groups, scorer, policy, best)
    plan, reason = _choose(best, splits[0] if splits else None, policy.split_margin, order)
    if plan is None:
        reason = _unroutable(order, candidates, groups, rejected)
    scored = tuple(sorted(singles + splits[:MOST_SPLITS_KEPT], key=lambda p: (p.score, p.nodes)))
    takes = tuple(takes_for(plan, candidates, order)) if plan else ()
    return Decision(plan, reason, takes, scored, rejected)


def _split_plans(order: OrderToRoute, candidates: list[Candidate], groups: list[Group], scorer: Scorer,
                 policy: PreparedPolicy, best: Plan | None) -> list[Plan]:
    if order.pickup_at is not None or not candidates:
        return []
    below = float("inf") if best is None else best.score - policy.split_margin
    if below <= split_floor(candidates, scorer):
        return []  # no split can beat the best single node by the margin: do not search
    found = split_plans(candidates, groups, scorer, policy.max_split_nodes, below)
    if not found and best is None:
        fallback = greedy_plan(candidates, groups, scorer)
        found = [fallback] if fallback else []
    return found


def _choose(single: Plan | None, split: Plan | None, margin: int, order: OrderToRoute) -> tuple[Plan | None, str]:
    if order.pickup_at is not None:
        return single, f"collected by the buyer at {order.pickup_at}"
    if single is not None and (split is None or single.score - split.score <= margin):
        return single, f"the best single node ({single.nodes[0]})"
    if split is not None and single is not None:
        saving = round(single.score - split.score)
        return split, f"a split saves {saving} over the best single node ({single.nodes[0]}), more than {margin}"
    if split is not None:
        return split, "no single node can serve every line"
    return None, ""


def _unroutable(order: OrderToRoute, candidates: list[Candidate], groups: list[Group],
                rejected: dict[str, Sequence[str]]) -> str:
    if order.pickup_at is not None:
        why = "; ".join(rejected.get(order.pickup_at, [])) or "unknown store, or not enough stock there"
        return f"the pickup store {order.pickup_at} cannot serve this order: {why}"
    short = [
        order.lines[g.lines[0]].sku for index, g in enumerate(groups)
        if sum(c.units[index] for c in candidates) < g.quantity
    ]
    if short:
        return f"no node that may serve it has enough of {', '.join(short)}"
    return "no plan covers every line"


def takes_for(plan: Plan, candidates: list[Candidate], order: OrderToRoute) -> list[Take]:
    """The units each parcel holds, drawn at its node from the line's pools in order."""
    shelves = {c.node.location_id: c.shelves for c in candidates}
    left: dict[object, int] = {}
    takes = []
    for parcel in plan.parcels:
        node_shelves = shelves[parcel.node.location_id]
        for index, units in parcel.lines:
            line = order.lines[index]
            for pool in line.pools:
                stock = node_shelves.get((line.sku_id.int, pool))
                if stock is None or units == 0:
                    continue
                free = left.setdefault(stock.level_id, stock.available)
                quantity = min(free, units)
                if quantity > 0:
                    takes.append(Take(stock.level_id, line.sku_id, stock.location_id, pool, quantity, line.line_no))
                    left[stock.level_id] = free - quantity
                    units -= quantity
            if units:
                raise AssertionError(f"plan takes more {line.sku} than {parcel.node.code} has")
    return takes


def awaits_payment(payment_state: str, unpaid_hold_minutes: int | None) -> bool:
    """An order whose channel holds its stock while the buyer pays (a store sale awaiting WeChat Pay, a live room's
    order): not routed, so nothing is picked or shipped, until the payment arrives or the hold lapses. A platform's
    unpaid order without such a hold (cash on delivery) is the platform's to ship."""
    return payment_state == "pending" and bool(unpaid_hold_minutes)
