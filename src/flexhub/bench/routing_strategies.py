"""The strategies the routing benchmark compares: flexhub's decision and two common baselines.

"nearest": the nearest node that holds the whole order, else each line from the nearest node that
holds it. "fixed_priority": each line from the first node, in a fixed warehouse order, that holds
it (Saleor's default allocation). The baselines see the same candidates as flexhub (stock,
capability, fragile/high-value constraints) and ship each parcel by the same cheapest service,
so only the choice of nodes differs.
"""

from collections.abc import Callable, Sequence

from flexhub.routing.candidates import Candidate, Group, Node, OrderToRoute, Stock, find_candidates, groups_of
from flexhub.routing.plans import Plan, Scorer, whole
from flexhub.routing.policy import PreparedPolicy
from flexhub.routing.rules import decide

Strategy = Callable[[OrderToRoute, Sequence[Node], Sequence[Stock]], Plan | None]


def flexhub(policy: PreparedPolicy) -> Strategy:
    return lambda order, nodes, stock: decide(order, nodes, stock, policy).plan


def nearest(policy: PreparedPolicy) -> Strategy:
    def choose(order: OrderToRoute, nodes: Sequence[Node], stock: Sequence[Stock]) -> Plan | None:
        return _line_by_line(order, nodes, stock, policy, key=_distance, whole_order_first=True)

    return choose


def fixed_priority(policy: PreparedPolicy) -> Strategy:
    def choose(order: OrderToRoute, nodes: Sequence[Node], stock: Sequence[Stock]) -> Plan | None:
        order_of = {node.location_id: n for n, node in enumerate(nodes)}
        return _line_by_line(order, nodes, stock, policy, key=lambda c: order_of[c.node.location_id],
                             whole_order_first=False)

    return choose


def _line_by_line(order: OrderToRoute, nodes: Sequence[Node], stock: Sequence[Stock], policy: PreparedPolicy,
                  *, key: Callable[[Candidate], float], whole_order_first: bool) -> Plan | None:
    groups = groups_of(order.lines)
    candidates, _ = find_candidates(order, nodes, stock, policy, groups)
    ranked = sorted(candidates, key=key)
    if whole_order_first:
        alone = next((c for c in ranked if _holds_all(c, groups)), None)
        if alone is not None:
            return Scorer(order, groups, policy).plan([(alone, tuple(lq for g in groups for lq in whole(order, g)))])
    placed: dict[int, list] = {}
    for g, group in enumerate(groups):
        if not _place(group, g, ranked, placed, order):
            return None
    by_id = {id(c): c for c in ranked}
    return Scorer(order, groups, policy).plan([(by_id[k], tuple(lines)) for k, lines in placed.items()])


def _place(group: Group, g: int, ranked: list[Candidate], placed: dict[int, list], order: OrderToRoute) -> bool:
    """The whole line from the first node that has it all, else its units from the first nodes in turn."""
    first = next((c for c in ranked if c.units[g] >= group.quantity), None)
    if first is not None:
        placed.setdefault(id(first), []).extend(whole(order, group))
        return True
    left = group.quantity
    for candidate in ranked:
        units = min(left, candidate.units[g])
        if units > 0:
            line = group.lines[0] if len(group.lines) == 1 else None
            if line is None:
                return False  # several lines of one SKU, spread over nodes: too rare to model here
            placed.setdefault(id(candidate), []).append((line, units))
            left -= units
        if left == 0:
            return True
    return False


def _holds_all(candidate: Candidate, groups: list[Group]) -> bool:
    return all(units >= g.quantity for units, g in zip(candidate.units, groups, strict=True))


def _distance(candidate: Candidate) -> float:
    return candidate.reach.km if candidate.reach.km is not None else float("inf")
