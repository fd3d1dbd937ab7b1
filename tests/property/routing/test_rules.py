"""Properties of every routing decision: never more than a node has, every line covered or the order
reported unroutable, and a single node kept unless a split beats it by more than the margin."""

from collections import Counter, defaultdict

from hypothesis import given, settings

from flexhub.routing.rules import decide
from flexhub.testing.routing import prepared, routing_cases

POLICY = prepared()


@settings(max_examples=300, deadline=None)
@given(routing_cases())
def test_a_plan_never_takes_more_than_a_node_has(case) -> None:
    order, nodes, stock = case
    decision = decide(order, nodes, stock, POLICY)
    available = {s.level_id: s for s in stock}
    taken = Counter()
    for take in decision.takes:
        taken[take.level_id] += take.quantity
        assert available[take.level_id].location_id == take.location_id
    assert all(units <= available[level].available for level, units in taken.items())
    if decision.plan:
        at = {p.node.location_id for p in decision.plan.parcels}
        assert {t.location_id for t in decision.takes} == at


@settings(max_examples=300, deadline=None)
@given(routing_cases())
def test_every_line_is_covered_or_the_order_is_unroutable(case) -> None:
    order, nodes, stock = case
    decision = decide(order, nodes, stock, POLICY)
    wanted, held = Counter(), Counter()
    for line in order.lines:
        wanted[line.sku_id] += line.quantity
    for s in stock:
        held[s.sku_id] += s.available
    coverable = all(held[sku] >= units for sku, units in wanted.items())
    assert (decision.plan is not None) == coverable, decision.reason
    if decision.plan is None:
        assert decision.reason and decision.takes == ()
        return
    per_line = defaultdict(int)
    for take in decision.takes:
        per_line[take.line_no] += take.quantity
    assert dict(per_line) == {line.line_no: line.quantity for line in order.lines}
    shipped = defaultdict(int)
    for parcel in decision.plan.parcels:
        for index, units in parcel.lines:
            shipped[order.lines[index].line_no] += units
    assert shipped == per_line


@settings(max_examples=300, deadline=None)
@given(routing_cases())
def test_a_single_node_is_kept_unless_a_split_saves_more_than_the_margin(case) -> None:
    order, nodes, stock = case
    decision = decide(order, nodes, stock, POLICY)
    wanted = Counter()
    for line in order.lines:
        wanted[line.sku_id] += line.quantity
    at = defaultdict(Counter)
    for s in stock:
        at[s.location_id][s.sku_id] += s.available
    alone = [n for n in nodes if all(at[n.location_id][sku] >= units for sku, units in wanted.items())]
    if not alone:
        return
    assert decision.plan is not None
    if decision.plan.is_split:
        best_single = min(p.score for p in decision.candidates if not p.is_split)
        assert best_single - decision.plan.score > POLICY.split_margin
