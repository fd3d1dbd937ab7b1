"""Builders and hypothesis strategies for the pure routing rules: nodes in real cities, lines, stock, orders.

`routing_cases` draws plain cases (every node may serve every line); `constrained_routing_cases` draws every
constraint routing knows as well: fragile and high-value lines, nodes that are not secure or do not pack
fragile goods, drop-ship (supplier) nodes, nodes the order excludes (they short-picked it), nodes the policy
excludes or limits with `ships_to`; it returns the policy document with the case, so a test can judge each
node from its own inputs.
"""

import uuid
from typing import Any

from hypothesis import strategies as st

from flexhub.routing.candidates import Line, Node, OrderToRoute, Stock
from flexhub.routing.geo import find_city, locate
from flexhub.routing.policy import PreparedPolicy, policy_from

CITIES = ("杭州", "上海", "北京", "广州", "成都", "武汉", "西安", "沈阳", "乌鲁木齐")
SKUS = tuple(uuid.UUID(int=n) for n in range(1, 5))


def sku(n: int) -> uuid.UUID:
    return SKUS[n - 1] if n <= len(SKUS) else uuid.UUID(int=n)


def node(n: int, code: str | None = None, kind: str = "regional", city: str = "杭州", **fields: Any) -> Node:
    """A node in `city` that ships, packs fragile goods and is secure unless told otherwise."""
    place = find_city(city)
    assert place is not None, city
    defaults: dict[str, Any] = {"secure": True, "packs_fragile": True}
    return Node(uuid.UUID(int=1_000 + n), code or f"N{n}", kind, place.place, **{**defaults, **fields})


def line(sku_n: int = 1, quantity: int = 1, line_no: int = 1, weight_g: int = 500, **fields: Any) -> Line:
    pools = fields.pop("pools", ("spot",))
    return Line(line_no, sku(sku_n), f"SKU-{sku_n}", quantity, pools, weight_g, **fields)


def stock(at: Node, sku_n: int, units: int, pool: str = "spot") -> Stock:
    level_id = uuid.uuid5(uuid.NAMESPACE_OID, f"{at.location_id}:{sku(sku_n)}:{pool}")
    return Stock(level_id, at.location_id, sku(sku_n), pool, units)


def order(*lines: Line, to: str = "杭州", country: str = "CN", sla_days: int = 3, **fields: Any) -> OrderToRoute:
    destination = locate(country, None, to) if country == "CN" else locate(country)
    return OrderToRoute(tuple(lines) or (line(),), country, destination, sla_days, **fields)


def prepared(**document: Any) -> PreparedPolicy:
    """The default policy with `document`'s fields over it."""
    return PreparedPolicy(policy_from(document))


@st.composite
def routing_cases(draw: st.DrawFn) -> tuple[OrderToRoute, list[Node], list[Stock]]:
    """A few nodes in different cities, some stock of a few SKUs at each, and an order of 1-3 lines."""
    count = draw(st.integers(1, 5))
    cities = draw(st.lists(st.sampled_from(CITIES), min_size=count, max_size=count))
    nodes = [
        node(n, kind=draw(st.sampled_from(("central", "regional", "store"))), city=city,
             daily_capacity=draw(st.one_of(st.none(), st.integers(1, 20))), load=draw(st.integers(0, 25)))
        for n, city in enumerate(cities)
    ]
    held = [stock(n, s, draw(st.integers(0, 6))) for n in nodes for s in range(1, 4) if draw(st.booleans())]
    skus = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True))
    lines = [line(s, draw(st.integers(1, 5)), line_no, weight_g=draw(st.integers(100, 4000)))
             for line_no, s in enumerate(skus, start=1)]
    to = draw(st.sampled_from(CITIES))
    return order(*lines, to=to, vip=draw(st.booleans()), sla_days=draw(st.integers(1, 4))), nodes, held


KINDS = ("central", "regional", "store", "supplier")
# Where a node may be limited to: whole countries, or the provinces the test cities are in.
def _province(city: str) -> str:
    found = find_city(city)
    if found is None or found.place.province is None:
        raise ValueError(f"{city} is not in the routing atlas with its province")
    return found.place.province


REGIONS = ("CN", "US", *sorted({f"CN-{_province(city)}" for city in CITIES}))


@st.composite
def constrained_routing_cases(draw: st.DrawFn) -> tuple[OrderToRoute, list[Node], list[Stock], dict[str, Any]]:
    """A routing case with every constraint drawn, and the policy document it is routed under."""
    count = draw(st.integers(1, 6))
    cities = draw(st.lists(st.sampled_from(CITIES), min_size=count, max_size=count))
    nodes = [
        node(n, kind=draw(st.sampled_from(KINDS)), city=city, secure=draw(st.booleans()),
             packs_fragile=draw(st.booleans()), daily_capacity=draw(st.one_of(st.none(), st.integers(1, 20))),
             load=draw(st.integers(0, 25)))
        for n, city in enumerate(cities)
    ]
    held = [stock(n, s, draw(st.integers(0, 6))) for n in nodes for s in range(1, 4) if draw(st.booleans())]
    skus = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True))
    lines = [line(s, draw(st.integers(1, 5)), line_no, weight_g=draw(st.integers(100, 4000)),
                  fragile=draw(st.booleans()), high_value=draw(st.booleans()))
             for line_no, s in enumerate(skus, start=1)]
    codes = [n.code for n in nodes]
    excluded = draw(st.frozensets(st.sampled_from(codes), max_size=2))
    rules: dict[str, Any] = {}
    for code in codes:
        rule: dict[str, Any] = {}
        if draw(st.integers(0, 5)) == 0:
            rule["excluded"] = True
        if draw(st.integers(0, 2)) == 0:
            rule["ships_to"] = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
        if rule:
            rules[code] = rule
    document = {"nodes": rules}
    to = draw(st.sampled_from(CITIES))
    case = order(*lines, to=to, vip=draw(st.booleans()), sla_days=draw(st.integers(1, 4)), excluded=excluded)
    return case, nodes, held, document
