"""The routing benchmark's baselines and its simulation: what each strategy picks, and how a day is counted."""

from flexhub.bench.routing_simulation import Simulation
from flexhub.bench.routing_strategies import fixed_priority, flexhub, nearest
from flexhub.bench.routing_world import World, build_world
from flexhub.testing.routing import line, node, order, prepared, stock

POLICY = prepared()
HZ, SH, BJ = node(0, "WH-HZ", city="杭州"), node(1, "WH-SH", city="上海"), node(2, "WH-BJ", city="北京")


def test_nearest_takes_the_nearest_node_that_holds_the_whole_order_else_each_line_nearest() -> None:
    both = order(line(1), line(2, line_no=2), to="上海")
    whole = nearest(POLICY)(both, [HZ, BJ], [stock(HZ, 1, 5), stock(HZ, 2, 5), stock(BJ, 1, 5), stock(BJ, 2, 5)])
    assert whole.nodes == ("WH-HZ",)
    per_line = nearest(POLICY)(both, [HZ, SH, BJ], [stock(SH, 1, 5), stock(BJ, 1, 5), stock(BJ, 2, 5),
                                                    stock(HZ, 2, 5)])
    assert per_line.nodes == ("WH-BJ",)
    assert nearest(POLICY)(both, [HZ, SH], [stock(SH, 1, 5), stock(HZ, 2, 5)]).nodes == ("WH-SH", "WH-HZ")


def test_fixed_priority_takes_each_line_from_the_first_node_in_order_that_holds_it() -> None:
    both = order(line(1), line(2, line_no=2), to="杭州")
    held = [stock(BJ, 1, 5), stock(HZ, 1, 5), stock(HZ, 2, 5)]
    assert fixed_priority(POLICY)(both, [BJ, HZ], held).nodes == ("WH-BJ", "WH-HZ")
    assert flexhub(POLICY)(both, [BJ, HZ], held).nodes == ("WH-HZ",)


def test_a_node_past_its_capacity_ships_late_and_its_utilization_is_counted() -> None:
    small = node(0, "WH-HZ", city="杭州", daily_capacity=2)
    orders = [order(line(1), to="杭州", sla_days=1) for _ in range(4)]
    world = World([small], [], {(small.location_id, line(1).sku_id): 10}, orders, days=1)
    tally = Simulation(world).run(nearest(POLICY))
    assert (tally.routed, tally.sla_met, tally.max_utilization) == (4, 2, 2.0)
    assert Simulation(world).units == {(small.location_id, line(1).sku_id): 10}  # each run has its own stock


def test_the_world_is_the_same_for_the_same_seed() -> None:
    first, again = build_world(orders=50, nodes=25, seed=3), build_world(orders=50, nodes=25, seed=3)
    assert [n.code for n in first.nodes] == [n.code for n in again.nodes] and len(first.nodes) == 25
    assert first.stock == again.stock and first.orders == again.orders
    assert any(p.fragile for p in first.products) and any(p.high_value for p in first.products)
    assert any(p.drop_ship for p in first.products)
