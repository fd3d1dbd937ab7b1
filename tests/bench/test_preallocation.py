"""`flexhub bench preallocation`: a small promotion routed with and without stock moved ahead of it."""

FIGURES = {"shipping_cost", "transfer_cost", "total_cost", "split_rate", "stockouts", "stockout_rate", "late_orders",
           "late_rate", "max_node_utilization"}


def test_bench_preallocation_compares_the_same_promotion_with_and_without(bench):
    report = bench("preallocation", "--orders", "3000", "--sale-orders", "1500", "--promoted", "20")
    assert (report["sale_orders"], report["promoted_skus"]) == (1500, 20)
    without, moved = report["runs"]["without"], report["runs"]["with"]
    assert FIGURES <= set(without) and FIGURES <= set(moved)
    assert report["units_moved"] > 0 and report["transfers"] > 0
    assert without["transfer_cost"] == 0 and moved["transfer_cost"] > 0
    assert moved["total_cost"] == moved["shipping_cost"] + moved["transfer_cost"]
    # stock moved towards the buyers: cheaper parcels, no more stock-outs, no more late orders
    assert moved["shipping_cost"] < without["shipping_cost"]
    assert moved["stockouts"] <= without["stockouts"] and moved["late_orders"] <= without["late_orders"]
