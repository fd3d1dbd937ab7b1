"""A brand's network, catalogue, stock and orders for the routing benchmarks, from one seed.

The network is a central warehouse near Shanghai, six regional warehouses, two cloud (3PL)
warehouses, stores in big cities and two suppliers that drop-ship their bulky goods; more stores
are added in further cities to reach the asked number of nodes. Buyers live in Chinese cities
with the probability of the city's population; the catalogue is mostly apparel, with fragile
homeware, high-value electronics and drop-ship furniture.
"""

import random
import uuid
from dataclasses import dataclass

from flexhub.routing.candidates import Line, Node, OrderToRoute
from flexhub.routing.geo import City, atlas, find_city

# code, kind, province, city, daily capacity, secure, packs fragile
NETWORK = [
    ("CW-JIAXING", "central", "ZJ", "嘉兴", 1200, True, True),
    ("RDC-LANGFANG", "regional", "HE", "廊坊", 450, True, True),
    ("RDC-GUANGZHOU", "regional", "GD", "广州", 450, True, True),
    ("RDC-CHENGDU", "regional", "SC", "成都", 300, False, True),
    ("RDC-WUHAN", "regional", "HB", "武汉", 300, False, True),
    ("RDC-SHENYANG", "regional", "LN", "沈阳", 200, False, True),
    ("RDC-XIAN", "regional", "SN", "西安", 200, False, True),
    ("CLOUD-KUNSHAN", "cloud", "JS", "苏州", 300, False, True),
    ("CLOUD-ZHENGZHOU", "cloud", "HA", "郑州", 250, False, True),
    ("SUP-YIWU", "supplier", "ZJ", "金华", 300, False, True),
    ("SUP-FOSHAN", "supplier", "GD", "佛山", 300, False, True),
]
STORE_CAPACITY = 40
WAREHOUSES = ("central", "regional", "cloud")
SLA_DAYS = (2, 3, 3, 3)  # the channels' promises, as often as they sell


@dataclass(frozen=True, slots=True)
class Product:
    sku_id: uuid.UUID
    code: str
    weight_g: int
    fragile: bool
    high_value: bool
    drop_ship: bool
    popularity: float


@dataclass(frozen=True)
class World:
    nodes: list[Node]
    products: list[Product]
    stock: dict[tuple[uuid.UUID, uuid.UUID], int]  # (location_id, sku_id) -> units on hand
    orders: list[OrderToRoute]
    days: int  # the orders arrive evenly over this many days


def build_world(*, orders: int, nodes: int = 0, skus: int = 300, seed: int = 7, orders_per_day: int = 2500) -> World:
    rng = random.Random(seed)
    network = build_nodes(rng, nodes or len(NETWORK) + 10)
    products = build_products(rng, skus)
    placed = build_orders(rng, orders, products)
    stock = build_stock(rng, network, products, placed)
    return World(network, products, stock, placed, max(1, -(-orders // orders_per_day)))


def build_nodes(rng: random.Random, count: int) -> list[Node]:
    found = [_node(n, code, kind, province, city, capacity, secure, fragile)
             for n, (code, kind, province, city, capacity, secure, fragile) in enumerate(NETWORK)]
    taken = {node.place.city for node in found if node.place}
    big = sorted(atlas().cities, key=lambda c: -c.population)
    for city in big:
        if len(found) >= count:
            break
        if city.name in taken:
            continue
        taken.add(city.name)
        code = f"STORE-{city.pinyin[0].upper().replace(chr(39), '')}"
        found.append(_node(len(found), code, "store", city.province, city.short, STORE_CAPACITY, False,
                           rng.random() < 0.3, can_pickup=True))
    return found[:count]


def _node(n: int, code: str, kind: str, province: str, city: str, capacity: int, secure: bool, fragile: bool,
          can_pickup: bool = False) -> Node:
    found = find_city(city, province)
    place = found.place if found else None
    return Node(uuid.UUID(int=10_000 + n), code, kind, place, can_pickup=can_pickup, secure=secure,
                packs_fragile=fragile, daily_capacity=capacity)


def build_products(rng: random.Random, count: int) -> list[Product]:
    products = []
    for n in range(count):
        kind = rng.choices(("apparel", "home", "electronics", "furniture"), (70, 17, 8, 5))[0]
        weight = {"apparel": rng.randint(150, 900), "home": rng.randint(600, 3000),
                  "electronics": rng.randint(200, 1500), "furniture": rng.randint(3000, 12000)}[kind]
        products.append(Product(
            uuid.UUID(int=50_000 + n), f"{kind[:4].upper()}-{n:04d}", weight,
            fragile=kind == "home" and rng.random() < 0.6, high_value=kind == "electronics",
            drop_ship=kind == "furniture", popularity=1.0 / (n + 3) ** 0.8,
        ))
    return products


def build_orders(rng: random.Random, count: int, products: list[Product]) -> list[OrderToRoute]:
    cities = atlas().cities
    weights = [c.population for c in cities]
    popularity = [p.popularity for p in products]
    orders = []
    for _ in range(count):
        city: City = rng.choices(cities, weights)[0]
        picked = {p.sku_id: p for p in rng.choices(products, popularity, k=rng.choices((1, 2, 3), (65, 25, 10))[0])}
        lines = tuple(
            Line(n, p.sku_id, p.code, rng.choices((1, 2, 3), (85, 12, 3))[0], ("spot",), p.weight_g, p.fragile,
                 p.high_value)
            for n, p in enumerate(picked.values(), start=1)
        )
        orders.append(OrderToRoute(lines, "CN", city.place, rng.choice(SLA_DAYS), vip=rng.random() < 0.05))
    return orders


def build_stock(rng: random.Random, nodes: list[Node], products: list[Product],
                orders: list[OrderToRoute]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Some 1.4 times what the orders want, spread over the warehouses and a little in stores;
    drop-ship goods only at the suppliers."""
    wanted: dict[uuid.UUID, int] = {}
    for order in orders:
        for line in order.lines:
            wanted[line.sku_id] = wanted.get(line.sku_id, 0) + line.quantity
    stock = {}
    for product in products:
        total = int(wanted.get(product.sku_id, 0) * 1.4) + 2
        for node, share in _shares(rng, nodes, product).items():
            stock[(node.location_id, product.sku_id)] = max(1, round(total * share))
    return stock


def _shares(rng: random.Random, nodes: list[Node], product: Product) -> dict[Node, float]:
    if product.drop_ship:
        suppliers = [n for n in nodes if n.kind == "supplier"]
        return {n: 1 / len(suppliers) for n in suppliers}
    weights = {}
    for node in nodes:
        if (product.high_value and not node.secure) or (product.fragile and not node.packs_fragile):
            continue  # the brand keeps goods only where they can be shipped from
        base = {"central": 8.0, "regional": 3.0, "cloud": 2.0, "store": 0.15, "supplier": 0.0}[node.kind]
        if base and (node.kind in WAREHOUSES or product.popularity > 0.05) and rng.random() < 0.85:
            weights[node] = base * rng.uniform(0.5, 1.5)
    total = sum(weights.values()) or 1.0
    return {n: w / total for n, w in weights.items()}
