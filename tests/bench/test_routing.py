"""`flexhub bench routing` and `routing-cost`: their JSON contracts, and flexhub against the baselines."""

STRATEGIES = {"flexhub", "nearest", "fixed_priority"}
FIGURES = {"shipping_cost", "split_rate", "sla_met_rate", "max_node_utilization"}


def test_the_routing_bench_reports_decisions_per_second_and_latencies(bench) -> None:
    report = bench("routing", "--orders", "300", "--nodes", "30", "--handler-orders", "15")
    assert {"decisions_per_s", "p50_ms", "p99_ms"} <= set(report)
    assert (report["scenario"], report["orders"], report["nodes"]) == ("routing", 300, 30)
    assert report["routed"] + report["unroutable"] == 300 and report["unroutable"] == 0
    assert report["decisions_per_s"] > 0 and 0 < report["p50_ms"] <= report["p99_ms"]
    handler = report["handler"]
    assert (handler["database"], handler["orders"], handler["routed"]) == ("sqlite", 15, 15)
    assert handler["decisions_per_s"] > 0


def test_flexhub_ships_for_less_than_both_baselines_with_no_more_splits(bench) -> None:
    report = bench("routing-cost", "--orders", "5000")
    assert set(report) == {"orders", "strategies"} and report["orders"] == 5000
    assert set(report["strategies"]) == STRATEGIES
    assert all(set(figures) == FIGURES for figures in report["strategies"].values())
    ours, nearest, fixed = (report["strategies"][name] for name in ("flexhub", "nearest", "fixed_priority"))
    assert ours["shipping_cost"] < min(nearest["shipping_cost"], fixed["shipping_cost"])
    assert ours["split_rate"] <= min(nearest["split_rate"], fixed["split_rate"])
    assert ours["sla_met_rate"] >= max(nearest["sla_met_rate"], fixed["sla_met_rate"])
    assert ours["max_node_utilization"] <= 1.0 < fixed["max_node_utilization"]


def test_the_routing_figures_follow_the_orders_routed(bench) -> None:
    small = bench("routing", "--orders", "100", "--nodes", "20", "--handler-orders", "5")
    large = bench("routing", "--orders", "200", "--nodes", "20", "--handler-orders", "10")

    assert (small["routed"] + small["unroutable"], large["routed"] + large["unroutable"]) == (100, 200)
    assert (small["handler"]["routed"], large["handler"]["routed"]) == (5, 10)


def test_routing_more_orders_costs_more_for_every_strategy(bench) -> None:
    small, large = bench("routing-cost", "--orders", "300"), bench("routing-cost", "--orders", "600")

    assert (small["orders"], large["orders"]) == (300, 600)
    for name in STRATEGIES:
        assert large["strategies"][name]["shipping_cost"] > small["strategies"][name]["shipping_cost"] > 0
