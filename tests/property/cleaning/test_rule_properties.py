"""Each cleaning rule, as a property over generated orders: it finds exactly what its parameters say, no more."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from flexhub.cleaning import checks
from flexhub.cleaning.rules import History, Seen, judge, parse_rule
from flexhub.kernel.addresses import PICKUP_KEY
from flexhub.routing.geo import atlas
from flexhub.routing.places import AtlasPlaces

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
PLACES = AtlasPlaces()
CITIES = [c for c in atlas().cities if atlas().provinces[c.province].postal_prefixes]
skus = st.sampled_from(["TEE-RED-M", "TEE-RED-L", "MUG", "CAP"])
lines = st.lists(st.tuples(skus, st.integers(1, 2000), st.integers(0, 100_000), st.just(0)), min_size=1, max_size=4)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
buyers = st.fixed_dictionaries({"name": st.text(min_size=1, max_size=8), "phone": mobiles})


@st.composite
def chinese_addresses(draw: st.DrawFn) -> dict[str, str]:
    city = draw(st.sampled_from(CITIES))
    province = atlas().provinces[city.province]
    prefix = draw(st.sampled_from(province.postal_prefixes))
    return {"country": "CN", "province": province.name, "city": city.name, "district": "中心区",
            "line1": draw(st.text(min_size=1, max_size=20).filter(str.strip)).strip(),
            "postal_code": prefix + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))}


def order(buyer: dict, address: dict, order_lines: list, channel: str = "web") -> checks.Candidate:
    total = sum(q * p - d for _, q, p, d in order_lines)
    return checks.Candidate(channel=channel, currency="CNY", buyer=buyer, address=address, lines=order_lines,
                            total=total)


def rule(kind: str, action: str = "hold", **params: object) -> object:
    return parse_rule({"name": kind.replace("_", "-"), "kind": kind, "action": action, "params": params})


NO_HISTORY = History()


def codes(candidate: checks.Candidate, *rules: object, history: History = NO_HISTORY) -> list[str]:
    return [f.code for f in judge(candidate, rules, history, PLACES, NOW).findings]  # type: ignore[arg-type]


@given(buyers, chinese_addresses(), lines)
def test_an_address_the_atlas_knows_with_a_mobile_passes(buyer: dict, address: dict, order_lines: list) -> None:
    assert codes(order(buyer, address, order_lines), rule("address", require_postal_code=True)) == []


@given(buyers, chinese_addresses(), lines, st.sampled_from(["province", "city", "district", "line1"]))
def test_a_chinese_address_without_a_part_is_held(buyer: dict, address: dict, order_lines: list, part: str) -> None:
    found = codes(order(buyer, {k: v for k, v in address.items() if k != part}, order_lines), rule("address"))
    assert f"address.missing_{part}" in found


@given(buyers, chinese_addresses(), lines, st.from_regex(r"[A-Z]{2}", fullmatch=True))
def test_a_country_is_an_iso_code(buyer: dict, address: dict, order_lines: list, country: str) -> None:
    found = codes(order(buyer, {**address, "country": country}, order_lines), rule("address"))
    assert ("address.unknown_country" in found) == (country not in checks.ISO_COUNTRIES)


@given(chinese_addresses(), lines, st.from_regex(r"[0-9]{5,12}", fullmatch=True))
def test_a_mobile_number_is_eleven_digits_from_13_to_19(address: dict, order_lines: list, phone: str) -> None:
    found = codes(order({"name": "x", "phone": phone}, address, order_lines), rule("address"))
    assert ("address.bad_mobile" in found) == (checks.MOBILE.fullmatch(phone) is None)


@given(chinese_addresses(), lines, st.from_regex(r"1[3-9][0-9]\*{4}[0-9]{4}", fullmatch=True))
def test_a_mobile_number_the_platform_masked_is_not_held(address: dict, order_lines: list, phone: str) -> None:
    assert codes(order({"name": "x", "phone": phone}, address, order_lines), rule("address")) == []


@given(chinese_addresses(), lines, st.from_regex(r"[0-9]{1,3}\*{1,6}[0-9]{1,5}", fullmatch=True))
def test_a_masked_number_not_of_a_mobile_s_shape_is_held(address: dict, order_lines: list, phone: str) -> None:
    found = codes(order({"name": "x", "phone": phone}, address, order_lines), rule("address"))
    assert ("address.bad_mobile" in found) == (checks.MASKED_MOBILE.fullmatch(phone) is None)


@given(buyers, chinese_addresses(), lines)
def test_a_postal_code_of_another_province_is_held(buyer: dict, address: dict, order_lines: list) -> None:
    here = PLACES.province(address["province"])
    assert here is not None
    elsewhere = next(p for code, p in atlas().provinces.items() if code != here[0] and p.postal_prefixes)
    moved = {**address, "postal_code": elsewhere.postal_prefixes[0] + "0000"}
    assert codes(order(buyer, moved, order_lines), rule("address")) == ["address.postal_code_mismatch"]


@given(buyers, chinese_addresses(), lines, st.integers(1, 500), st.integers(0, 1000))
def test_a_duplicate_is_the_same_buyer_and_lines_within_the_window(buyer: dict, address: dict, order_lines: list,
                                                                   window: int, ago: int) -> None:
    candidate = order(buyer, address, order_lines)
    seen = Seen(checks.buyer_key(buyer), "a", None, checks.lines_key(order_lines), NOW - timedelta(minutes=ago))
    found = codes(candidate, rule("duplicate", window_minutes=window), history=History([seen]))
    assert found == (["duplicate.same_order"] if ago <= window else [])


@given(buyers, chinese_addresses(), lines, st.integers(1, 1000))
def test_other_lines_are_no_duplicate(buyer: dict, address: dict, order_lines: list, extra: int) -> None:
    other = [*order_lines, ("OTHER", extra, 1, 0)]
    seen = Seen(checks.buyer_key(buyer), "a", None, checks.lines_key(other), NOW)
    assert codes(order(buyer, address, order_lines), rule("duplicate"), history=History([seen])) == []


@given(buyers, chinese_addresses(), lines, st.integers(1, 1000), st.integers(1, 3000))
def test_quantity_limits(buyer: dict, address: dict, order_lines: list, per_line: int, per_order: int) -> None:
    found = codes(order(buyer, address, order_lines),
                  rule("quantity", max_units_per_line=per_line, max_units=per_order))
    over_lines = sum(1 for _, q, _, _ in order_lines if q > per_line)
    assert found.count("quantity.line_above_limit") == over_lines
    assert ("quantity.order_above_limit" in found) == (sum(q for _, q, _, _ in order_lines) > per_order)


@given(buyers, chinese_addresses(), lines, st.integers(1, 10**9))
def test_value_limit(buyer: dict, address: dict, order_lines: list, limit: int) -> None:
    candidate = order(buyer, address, order_lines)
    assert codes(candidate, rule("value", max_total=limit)) == (["value.above_limit"] if candidate.total > limit
                                                                 else [])


@given(buyers, chinese_addresses(), lines, st.integers(0, 100_000))
def test_a_price_below_the_floor_is_held(buyer: dict, address: dict, order_lines: list, floor: int) -> None:
    found = codes(order(buyer, address, order_lines), rule("price_floor", floors={"MUG": floor}))
    assert found.count("price.below_floor") == sum(1 for s, _, p, _ in order_lines if s == "MUG" and p < floor)


@given(buyers, chinese_addresses(), lines, st.integers(1, 5), st.integers(0, 8))
def test_velocity_counts_recent_orders_of_the_buyer(buyer: dict, address: dict, order_lines: list, most: int,
                                                    earlier: int) -> None:
    seen = [Seen(checks.buyer_key(buyer), f"elsewhere-{i}", None, "x", NOW - timedelta(minutes=i)) for i in
            range(earlier)]
    found = codes(order(buyer, address, order_lines), rule("velocity", max_orders=most, window_minutes=60,
                                                           by=["buyer"]), history=History(seen))
    assert found == (["fraud.velocity_buyer"] if earlier >= most else [])


@given(buyers, chinese_addresses(), lines, st.integers(1, 10**8), st.booleans())
def test_a_first_order_of_high_value(buyer: dict, address: dict, order_lines: list, above: int, known: bool) -> None:
    candidate = order(buyer, address, order_lines)
    history = History(known_buyers=frozenset({checks.buyer_key(buyer)} if known else ()))
    found = codes(candidate, rule("first_order_value", above=above), history=history)
    assert found == (["fraud.first_order_high_value"] if not known and candidate.total > above else [])


@given(chinese_addresses(), lines, st.sampled_from(["CN", "US", "DE", None]))
def test_a_buyer_from_another_country(address: dict, order_lines: list, country: str | None) -> None:
    buyer = {"name": "x", "phone": "13800000000", **({"country": country} if country else {})}
    found = codes(order(buyer, address, order_lines), rule("country_mismatch"))
    assert found == (["fraud.country_mismatch"] if country not in (None, "CN") else [])


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "0086", "+86 "]),
       chinese_addresses(), lines)
def test_a_blacklisted_phone_is_found_however_written(phone: str, prefix: str, address: dict,
                                                      order_lines: list) -> None:
    spaced = f"{prefix}{phone[:3]}-{phone[3:7]} {phone[7:]}"
    found = codes(order({"name": "x", "phone": spaced}, address, order_lines),
                  rule("blacklist", "reject", phones=[phone]))
    assert found == ["blacklist.phone"]


@given(buyers, chinese_addresses(), lines)
def test_reject_wins_over_hold_and_a_rule_for_another_channel_is_not_run(buyer: dict, address: dict,
                                                                         order_lines: list) -> None:
    candidate = order(buyer, address, order_lines)
    holding = rule("value", max_total=1)
    rejecting = parse_rule({"name": "no", "kind": "value", "action": "reject", "params": {"max_total": 1}})
    elsewhere = parse_rule({"name": "tm", "kind": "value", "action": "reject", "channel": "tmall",
                            "params": {"max_total": 1}})
    verdict = judge(candidate, [holding, elsewhere], History(), PLACES, NOW)  # type: ignore[list-item]
    assert verdict.action == ("hold" if candidate.total > 1 else "accept")
    both = judge(candidate, [holding, rejecting], History(), PLACES, NOW)  # type: ignore[list-item]
    assert both.action == ("reject" if candidate.total > 1 else "accept")


stores = st.from_regex(r"STORE-[A-Z]{2,6}", fullmatch=True)
parts = st.sets(st.sampled_from(["province", "city", "district", "line1", "postal_code"]))
no_phone = st.fixed_dictionaries({"name": st.text(min_size=1, max_size=8)})


@given(st.one_of(buyers, no_phone), chinese_addresses(), parts, stores, lines, st.sampled_from(["CN", "US", None]))
def test_an_order_collected_at_a_store_is_not_judged_as_a_destination(
        buyer: dict, address: dict, dropped: set, store: str, order_lines: list, country: str | None) -> None:
    """A pick-up (or a sale taken at the till) carries the store's address, whatever parts it has: the address
    rule finds nothing in it and leaves it as it is, and nor does the buyer's country count against it."""
    at_store = {**{k: v for k, v in address.items() if k not in dropped}, PICKUP_KEY: store}
    buyer = {**buyer, **({"country": country} if country else {})}
    verdict = judge(order(buyer, at_store, order_lines), [rule("address", require_postal_code=True),
                                                         rule("country_mismatch")],  # type: ignore[list-item]
                    NO_HISTORY, PLACES, NOW)
    assert (verdict.action, verdict.findings, verdict.address) == ("accept", (), at_store)
    shipped = codes(order(buyer, {k: v for k, v in at_store.items() if k != PICKUP_KEY}, order_lines),
                    rule("address", require_postal_code=True))
    assert {f"address.missing_{part}" for part in dropped} <= set(shipped)  # the same address shipped is held


@given(buyers, chinese_addresses(), stores, lines, st.integers(1, 5), st.integers(0, 8))
def test_pick_ups_at_one_store_are_not_orders_to_one_address(buyer: dict, address: dict, store: str,
                                                             order_lines: list, most: int, earlier: int) -> None:
    """Every buyer collecting at a store shares its address: velocity by address does not count them, velocity by
    buyer still does."""
    at_store = {**address, PICKUP_KEY: store}
    seen = [Seen(checks.buyer_key(buyer), checks.address_key(at_store), None, "x", NOW - timedelta(minutes=i))
            for i in range(earlier)]
    found = codes(order(buyer, at_store, order_lines), rule("velocity", max_orders=most, by=["address", "buyer"]),
                  history=History(seen))
    assert found == (["fraud.velocity_buyer"] if earlier >= most else [])
