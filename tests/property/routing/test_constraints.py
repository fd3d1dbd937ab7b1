"""Properties of routing under every constraint: fragile and high-value lines, drop-ship nodes, nodes the order
or the policy excludes, `ships_to` limits. Which node may serve which line is judged here from the case's own
inputs (its nodes' flags, the policy document it was drawn with), never from the routing code's answers."""

from collections import Counter, defaultdict

import pytest
from hypothesis import Phase, find, given, settings

from flexhub.routing.rules import decide
from flexhub.testing.routing import constrained_routing_cases, prepared


def may_ship(node, order, document) -> bool:  # type: ignore[no-untyped-def]
    """The node may send this order a parcel at all: not excluded by the order or the policy, it ships, and its
    `ships_to` (if any) names the buyer's country or province."""
    rule = document["nodes"].get(node.code, {})
    if node.code in order.excluded or rule.get("excluded") or not node.can_ship:
        return False
    limits = rule.get("ships_to")
    return not limits or order.country in limits or f"{order.country}-{order.destination.province}" in limits


def may_hold(node, line) -> bool:  # type: ignore[no-untyped-def]
    """The default constraints: high-value needs a secure node, fragile one that packs fragile goods."""
    return (node.secure or not line.high_value) and (node.packs_fragile or not line.fragile)


def eligible(order, nodes, stock, document) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    """Per line index: the nodes (by location id) that may serve it, with the units they hold of its SKU. A
    supplier (drop-ship) node only where no own node may serve the line."""
    held: dict[tuple, int] = Counter()
    for s in stock:
        held[(s.location_id, s.sku_id, s.pool)] += s.available
    found = {}
    for index, line in enumerate(order.lines):
        units = {n.location_id: (n, sum(held[(n.location_id, line.sku_id, pool)] for pool in line.pools))
                 for n in nodes if may_ship(n, order, document) and may_hold(n, line)}
        units = {at: (n, u) for at, (n, u) in units.items() if u > 0}
        own = {at: v for at, v in units.items() if v[0].kind != "supplier"}
        found[index] = own or units
    return found


@settings(max_examples=400, deadline=None)
@given(constrained_routing_cases())
def test_every_unit_comes_from_a_node_that_may_serve_its_line(case) -> None:
    order, nodes, stock, document = case
    decision = decide(order, nodes, stock, prepared(**document))
    allowed = eligible(order, nodes, stock, document)
    index_of = {line.line_no: index for index, line in enumerate(order.lines)}
    for take in decision.takes:
        line_index = index_of[take.line_no]
        node = next(n for n in nodes if n.location_id == take.location_id)
        assert take.location_id in allowed[line_index], (node, order.lines[line_index], document, order.excluded)
    if decision.plan is not None:
        for parcel in decision.plan.parcels:
            assert may_ship(parcel.node, order, document)
            for index, _units in parcel.lines:
                assert parcel.node.location_id in allowed[index]


@settings(max_examples=400, deadline=None)
@given(constrained_routing_cases())
def test_an_order_is_routed_exactly_when_the_nodes_that_may_serve_it_hold_enough(case) -> None:
    order, nodes, stock, document = case
    decision = decide(order, nodes, stock, prepared(**document))
    allowed = eligible(order, nodes, stock, document)
    wanted: dict[tuple, int] = Counter()
    supply: dict[tuple, dict] = defaultdict(dict)
    for index, line in enumerate(order.lines):
        key = (line.sku_id, line.pools)
        wanted[key] += line.quantity
        supply[key].update({at: units for at, (_, units) in allowed[index].items()})
    coverable = all(sum(supply[key].values()) >= units for key, units in wanted.items())
    assert (decision.plan is not None) == coverable, (decision.reason, document, order.excluded)
    if decision.plan is not None:
        taken: dict[int, int] = Counter()
        for take in decision.takes:
            taken[take.line_no] += take.quantity
        assert dict(taken) == {line.line_no: line.quantity for line in order.lines}


def held_at(node, stock, line) -> int:  # type: ignore[no-untyped-def]
    return sum(s.available for s in stock if s.location_id == node.location_id and s.sku_id == line.sku_id)


BITES = {  # each constraint turning away a node that holds the line's SKU: the cases exercise every refusal
    "fragile": lambda o, ns, st_, d: any(ln.fragile and not n.packs_fragile and held_at(n, st_, ln)
                                         for n in ns for ln in o.lines),
    "high value": lambda o, ns, st_, d: any(ln.high_value and not n.secure and held_at(n, st_, ln)
                                            for n in ns for ln in o.lines),
    "drop-ship": lambda o, ns, st_, d: any(n.kind == "supplier" and held_at(n, st_, ln) for n in ns for ln in o.lines),
    "excluded by the order": lambda o, ns, st_, d: any(n.code in o.excluded and held_at(n, st_, ln)
                                                       for n in ns for ln in o.lines),
    "excluded by the policy": lambda o, ns, st_, d: any(d["nodes"].get(n.code, {}).get("excluded")
                                                        and held_at(n, st_, ln) for n in ns for ln in o.lines),
    "ships_to": lambda o, ns, st_, d: any(d["nodes"].get(n.code, {}).get("ships_to") and not may_ship(n, o, d)
                                          and held_at(n, st_, ln) for n in ns for ln in o.lines),
}


@pytest.mark.parametrize("constraint", sorted(BITES))
def test_the_generator_draws_cases_where_each_constraint_turns_a_node_away(constraint: str) -> None:
    """Not a property of routing: a guard that the cases above keep covering what they claim to."""
    found = find(constrained_routing_cases(), lambda case: BITES[constraint](*case),
                 settings=settings(max_examples=2000, database=None, phases=[Phase.generate]))
    assert BITES[constraint](*found)
