"""A believable apparel brand: 200 SKUs with variants and bundles, nine nodes, two resellers, stock; and the
people who sign in: an operations user with a password made for this run, and a key for the brand and one reseller.

Every run makes a brand of its own (a new tenant), so the demo never trips over an earlier one.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateBundle, CreateSku
from flexhub.identity.commands import CreateApiKey, CreatePartner, CreateTenant, CreateUser
from flexhub.inventory.commands import AdjustStock, CreateLocation
from flexhub.inventory.rules import consigned_pool
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor

HOT_SKU = "TEE-CLASSIC-BLACK-M"
PRODUCTS = {  # code: (name, weight in grams, fragile, high value)
    "TEE-CLASSIC": ("Classic tee", 220, False, False), "TEE-OVERSIZE": ("Oversize tee", 260, False, False),
    "HOODIE-CLOUD": ("Cloud hoodie", 620, False, False), "JACKET-WIND": ("Wind jacket", 540, False, False),
    "PANTS-CARGO": ("Cargo pants", 480, False, False), "SKIRT-PLEAT": ("Pleated skirt", 300, False, False),
    "DRESS-SILK": ("Silk dress", 280, False, True), "CAP-LOGO": ("Logo cap", 120, False, False),
    "BAG-TOTE": ("Canvas tote", 350, False, False), "MUG-CERAMIC": ("Ceramic mug", 420, True, False),
}
COLOURS = ("BLACK", "WHITE", "SAND", "NAVY", "OLIVE")
SIZES = ("S", "M", "L", "XL")
NODES = (  # code, kind, name, province, city, latitude, longitude, pickup, priority
    ("WH-HZ-CENTRAL", "central", "Hangzhou central warehouse", "浙江省", "杭州市", 30.27, 120.15, False, 10),
    ("WH-GZ-SOUTH", "regional", "Guangzhou regional warehouse", "广东省", "广州市", 23.13, 113.26, False, 20),
    ("WH-CD-WEST", "regional", "Chengdu regional warehouse", "四川省", "成都市", 30.57, 104.07, False, 20),
    ("CLOUD-TJ-3PL", "cloud", "Tianjin cloud warehouse (3PL)", "天津市", "天津市", 39.13, 117.20, False, 30),
    ("STORE-SH-JINGAN", "store", "Shanghai Jing'an store", "上海市", "上海市", 31.23, 121.45, True, 50),
    ("STORE-BJ-SANLITUN", "store", "Beijing Sanlitun store", "北京市", "北京市", 39.94, 116.45, True, 50),
    ("STORE-SZ-NANSHAN", "store", "Shenzhen Nanshan store", "广东省", "深圳市", 22.53, 113.93, True, 50),
    ("STORE-WH-JIANGHAN", "store", "Wuhan Jianghan store", "湖北省", "武汉市", 30.58, 114.27, True, 50),
    ("SUP-DG-FACTORY", "supplier", "Dongguan factory (drop-ship)", "广东省", "东莞市", 23.02, 113.75, False, 90),
)
RESELLERS = ("reseller-sg", "reseller-my")


Advance = Callable[[int], None]  # told how many seeding steps are done


@dataclass(frozen=True)
class Brand:
    admin: Actor
    admin_key: str
    code: str
    staff_login: str  # an operator who signs in to the dashboard with a password
    staff_password: str
    reseller_key: str  # the first reseller's own key: its orders, channels and consigned stock only


def seed(hub: Hub, advance: Advance = lambda n: None) -> Brand:
    code = "demo-" + clock.now().strftime("%Y%m%d-%H%M%S")
    tenant = hub.handle(CreateTenant(code=code, name="Demo Brand 示例品牌"))
    admin = Actor(tenant_id=tenant.id, role="admin", name="demo")
    for partner in RESELLERS:
        hub.handle(CreatePartner(actor=admin, code=partner, kind="reseller"))
    _catalog(hub, admin, advance)
    _nodes(hub, admin)
    _stock(hub, admin, advance)
    key = hub.handle(CreateApiKey(actor=admin, role="admin", name="demo")).token
    login, password = f"ops@{code}", secrets.token_urlsafe(12)  # logins are unique across tenants: one per run
    hub.handle(CreateUser(actor=admin, login=login, role="operator", password=password, display_name="Ops 运营"))
    reseller_key = hub.handle(CreateApiKey(actor=admin, role="partner", name="demo reseller",
                                           partner=RESELLERS[0])).token
    return Brand(admin, key, code, login, password, reseller_key)


def sku_codes() -> list[str]:
    return [f"{spu}-{colour}-{size}" for spu in PRODUCTS for colour in COLOURS for size in SIZES]


def steps() -> int:
    """Progress steps of seeding: one per SKU created and one per SKU stocked."""
    return 2 * len(sku_codes())


def _catalog(hub: Hub, admin: Actor, advance: Advance) -> None:
    for spu, (name, weight, fragile, high_value) in PRODUCTS.items():
        for colour in COLOURS:
            for size in SIZES:
                hub.handle(CreateSku(actor=admin, code=f"{spu}-{colour}-{size}", name=f"{name} {colour.lower()} {size}",
                                     spu=spu, spu_name=name, category=spu.split("-")[0].lower(), weight_g=weight,
                                     fragile=fragile, high_value=high_value))
                advance(1)
    hub.handle(CreateBundle(actor=admin, code="SET-TEE-CAP-BLACK", name="Tee + cap set",
                            components={HOT_SKU: 1, "CAP-LOGO-BLACK-M": 1}))
    hub.handle(CreateBundle(actor=admin, code="SET-HOODIE-PANTS-NAVY", name="Hoodie + cargo set",
                            components={"HOODIE-CLOUD-NAVY-L": 1, "PANTS-CARGO-NAVY-L": 1}))


def _nodes(hub: Hub, admin: Actor) -> None:
    for code, kind, name, province, city, lat, lon, pickup, priority in NODES:
        hub.handle(CreateLocation(actor=admin, code=code, kind=kind, name=name, country="CN", province=province,
                                  city=city, latitude=lat, longitude=lon, can_pickup=pickup, priority=priority,
                                  daily_capacity=5000 if kind != "store" else 300, secure=kind == "central",
                                  packs_fragile=kind in ("central", "regional")))


def _stock(hub: Hub, admin: Actor, advance: Advance) -> None:
    for index, sku in enumerate(sku_codes()):
        for node, kind, *_ in NODES:
            quantity = {"central": 60, "regional": 25, "cloud": 20, "store": 4, "supplier": 200}[kind]
            quantity += (index * 7) % 13
            if sku == HOT_SKU and kind != "supplier":
                quantity = 40 if kind == "central" else 6  # the flash sale's SKU is scarce on purpose
            _receive(hub, admin, sku, node, quantity, "spot")
        if index % 10 == 0:  # each reseller holds a little consigned stock (virtual inventory)
            for partner in RESELLERS:
                _receive(hub, admin, sku, "WH-HZ-CENTRAL", 5, consigned_pool(partner))
        advance(1)


def _receive(hub: Hub, admin: Actor, sku: str, node: str, quantity: int, pool: str) -> None:
    hub.handle(AdjustStock(actor=admin, sku=sku, location=node, quantity_delta=quantity, reason="opening stock",
                           kind="receive", pool=pool))
