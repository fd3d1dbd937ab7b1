"""The routing decision: candidates and their constraints, single node first, splits only when they pay,
VIP orders, node capacity, drop-ship, pickup, short-picked nodes and the stock a plan takes."""

from flexhub.routing.rules import decide
from flexhub.testing.routing import line, node, order, prepared, stock

POLICY = prepared()
HZ, SH, BJ, URUMQI = node(0, "WH-HZ", city="杭州"), node(1, "WH-SH", city="上海"), node(2, "WH-BJ", city="北京"), \
    node(3, "WH-XJ", city="乌鲁木齐")


def chosen(decision) -> tuple[str, ...]:
    assert decision.plan is not None, decision.reason
    return decision.plan.nodes


# --- single node first -------------------------------------------------------------------------------


def test_the_cheapest_node_ships_the_whole_order() -> None:
    decision = decide(order(line(1), to="杭州"), [BJ, HZ], [stock(HZ, 1, 5), stock(BJ, 1, 5)], POLICY)
    assert chosen(decision) == ("WH-HZ",)
    assert decision.plan.parcels[0].carrier == "zto" and decision.plan.parcels[0].zone == "same_province"
    assert decision.candidates[0] is decision.plan
    assert "WH-BJ" in decision.rejected or any(p.nodes == ("WH-BJ",) for p in decision.candidates)


def test_a_split_is_taken_when_no_single_node_holds_every_line() -> None:
    decision = decide(order(line(1), line(2, line_no=2)), [HZ, SH], [stock(HZ, 1, 5), stock(SH, 2, 5)], POLICY)
    assert sorted(chosen(decision)) == ["WH-HZ", "WH-SH"]
    assert decision.reason == "no single node can serve every line"


def test_a_split_that_saves_more_than_the_margin_beats_a_single_far_node() -> None:
    heavy = order(line(1, weight_g=5000), line(2, weight_g=5000, line_no=2), to="杭州")
    held = [stock(URUMQI, 1, 5), stock(URUMQI, 2, 5), stock(HZ, 1, 5), stock(SH, 2, 5)]
    split = decide(heavy, [URUMQI, HZ, SH], held, POLICY)
    assert sorted(chosen(split)) == ["WH-HZ", "WH-SH"] and "saves" in split.reason
    kept_whole = decide(heavy, [URUMQI, HZ, SH], held, prepared(split_margin=50_000))
    assert chosen(kept_whole) == ("WH-XJ",)


def test_a_split_that_saves_less_than_the_margin_is_not_taken() -> None:
    light = order(line(1), line(2, line_no=2), to="杭州")
    held = [stock(BJ, 1, 5), stock(BJ, 2, 5), stock(HZ, 1, 5), stock(SH, 2, 5)]
    assert chosen(decide(light, [BJ, HZ, SH], held, POLICY)) == ("WH-BJ",)


def test_units_are_split_over_nodes_when_no_node_has_them_all() -> None:
    decision = decide(order(line(1, quantity=5)), [HZ, SH], [stock(HZ, 1, 3), stock(SH, 1, 2)], POLICY)
    assert sorted(chosen(decision)) == ["WH-HZ", "WH-SH"]
    assert sum(t.quantity for t in decision.takes) == 5


def test_two_lines_of_one_sku_count_together_at_a_node() -> None:
    decision = decide(order(line(1, 2), line(1, 2, line_no=2)), [HZ, BJ], [stock(HZ, 1, 3), stock(BJ, 1, 4)],
                      POLICY)
    assert chosen(decision) == ("WH-BJ",)


def test_an_order_no_node_can_cover_is_unroutable_with_the_reason() -> None:
    decision = decide(order(line(1, quantity=9)), [HZ, SH], [stock(HZ, 1, 3), stock(SH, 1, 2)], POLICY)
    assert decision.plan is None and decision.takes == ()
    assert decision.reason == "no node that may serve it has enough of SKU-1"


# --- constraints -----------------------------------------------------------------------------------


def test_high_value_ships_only_from_a_secure_node() -> None:
    open_store = node(0, "ST-HZ", "store", city="杭州", secure=False)
    decision = decide(order(line(1, high_value=True)), [open_store, BJ], [stock(open_store, 1, 5), stock(BJ, 1, 5)],
                      POLICY)
    assert chosen(decision) == ("WH-BJ",)
    assert decision.rejected["ST-HZ"] == ("not secure for high-value SKU-1",)


def test_fragile_ships_only_from_a_node_that_packs_it_unless_the_policy_says_otherwise() -> None:
    plain = node(0, "WH-HZ", city="杭州", packs_fragile=False)
    fragile, held = order(line(1, fragile=True)), [stock(plain, 1, 5), stock(BJ, 1, 5)]
    decision = decide(fragile, [plain, BJ], held, POLICY)
    assert chosen(decision) == ("WH-BJ",)
    assert decision.rejected["WH-HZ"] == ("does not pack fragile SKU-1",)
    relaxed = prepared(constraints={"fragile_needs_packing": False})
    assert chosen(decide(fragile, [plain, BJ], held, relaxed)) == ("WH-HZ",)


def test_a_node_ships_only_to_the_regions_it_serves() -> None:
    policy = prepared(nodes={"WH-HZ": {"ships_to": ["CN-SH"]}})
    decision = decide(order(line(1), to="杭州"), [HZ, BJ], [stock(HZ, 1, 5), stock(BJ, 1, 5)], policy)
    assert chosen(decision) == ("WH-BJ",)
    assert decision.rejected["WH-HZ"] == ("does not ship to CN-ZJ",)


def test_a_node_that_does_not_ship_or_is_excluded_is_refused() -> None:
    counter_only = node(0, "ST-HZ", "store", city="杭州", can_ship=False)
    policy = prepared(nodes={"WH-SH": {"excluded": True}})
    decision = decide(order(line(1)), [counter_only, SH, BJ], [stock(n, 1, 5) for n in (counter_only, SH, BJ)],
                      policy)
    assert chosen(decision) == ("WH-BJ",)
    assert decision.rejected["ST-HZ"] == ("does not ship",)
    assert decision.rejected["WH-SH"] == ("excluded by the routing policy",)


def test_a_node_that_short_picked_the_order_is_left_out() -> None:
    decision = decide(order(line(1), excluded=frozenset({"WH-HZ"})), [HZ, SH], [stock(HZ, 1, 5), stock(SH, 1, 5)],
                      POLICY)
    assert chosen(decision) == ("WH-SH",)
    assert decision.rejected["WH-HZ"] == ("excluded: it short-picked this order",)


# --- drop-ship and pickup ----------------------------------------------------------------------------


def test_a_line_only_a_supplier_holds_is_drop_shipped_from_it() -> None:
    supplier = node(5, "SUP-YIWU", "supplier", city="金华")
    decision = decide(order(line(1)), [HZ, supplier], [stock(supplier, 1, 50)], POLICY)
    assert chosen(decision) == ("SUP-YIWU",)
    assert decision.plan.promised_days == 3  # two handling days at the supplier, then one by carrier


def test_a_supplier_does_not_ship_what_our_own_nodes_hold() -> None:
    supplier = node(5, "SUP-HZ", "supplier", city="杭州")
    decision = decide(order(line(1)), [BJ, supplier], [stock(supplier, 1, 50), stock(BJ, 1, 5)], POLICY)
    assert chosen(decision) == ("WH-BJ",)
    assert decision.rejected["SUP-HZ"] == ("our own nodes hold SKU-1: no drop-ship",)


def test_a_pickup_order_goes_to_its_store_or_nowhere() -> None:
    store = node(6, "ST-BJ", "store", city="北京", can_pickup=True)
    pickup = order(line(1), to="杭州", pickup_at="ST-BJ")
    decision = decide(pickup, [HZ, store], [stock(HZ, 1, 5), stock(store, 1, 1)], POLICY)
    assert chosen(decision) == ("ST-BJ",) and decision.plan.parcels[0].carrier is None
    empty = decide(pickup, [HZ, store], [stock(HZ, 1, 5)], POLICY)
    assert empty.plan is None and empty.reason.startswith("the pickup store ST-BJ cannot serve this order")


# --- VIP and capacity --------------------------------------------------------------------------------


def test_a_full_node_sends_orders_elsewhere() -> None:
    full = node(0, "WH-HZ", city="杭州", daily_capacity=10, load=10)
    held = [stock(full, 1, 5), stock(SH, 1, 5)]
    assert chosen(decide(order(line(1)), [full, SH], held, POLICY)) == ("WH-SH",)
    assert chosen(decide(order(line(1)), [HZ, SH], [stock(HZ, 1, 5), stock(SH, 1, 5)], POLICY)) == ("WH-HZ",)


def test_the_last_of_a_nodes_capacity_is_kept_for_vip_orders() -> None:
    nearly_full = node(0, "WH-HZ", city="杭州", daily_capacity=10, load=9)
    held = [stock(nearly_full, 1, 5), stock(URUMQI, 1, 5)]
    assert chosen(decide(order(line(1)), [nearly_full, URUMQI], held, POLICY)) == ("WH-XJ",)
    assert chosen(decide(order(line(1), vip=True), [nearly_full, URUMQI], held, POLICY)) == ("WH-HZ",)


def test_a_vip_order_gets_the_service_that_keeps_the_promise() -> None:
    held = [stock(HZ, 1, 5)]
    plain = decide(order(line(1), to="北京", sla_days=2), [HZ], held, POLICY).plan.parcels[0]
    vip = decide(order(line(1), to="北京", sla_days=2, vip=True), [HZ], held, POLICY).plan.parcels[0]
    assert (plain.carrier, plain.days) == ("zto", 3)
    assert (vip.carrier, vip.days) == ("sf", 2)


# --- destinations and takes --------------------------------------------------------------------------


def test_an_order_abroad_ships_by_an_international_service() -> None:
    parcel = decide(order(line(1), country="US"), [HZ], [stock(HZ, 1, 5)], POLICY).plan.parcels[0]
    assert parcel.carrier in ("ems", "dhl") and parcel.zone == "world"


def test_an_address_the_atlas_cannot_place_is_still_routed() -> None:
    unknown = order(line(1), to="Atlantis")
    assert unknown.destination is None
    parcel = decide(unknown, [HZ], [stock(HZ, 1, 5)], POLICY).plan.parcels[0]
    assert parcel.zone == "national" and parcel.km is None


def test_takes_draw_the_lines_pools_in_order() -> None:
    pools = ("consigned:r1", "spot")
    decision = decide(order(line(1, 4, pools=pools)), [HZ], [stock(HZ, 1, 5, "spot"), stock(HZ, 1, 3, "consigned:r1")],
                      POLICY)
    assert [(t.pool, t.quantity) for t in decision.takes] == [("consigned:r1", 3), ("spot", 1)]
