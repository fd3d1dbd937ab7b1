"""Seed a small apparel brand: SKUs with variants and a bundle, four nodes, two channels."""

from dataclasses import dataclass

from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateBundle, CreateSku
from flexhub.channels.commands import CreateChannel
from flexhub.identity.commands import CreateApiKey, CreateTenant
from flexhub.identity.model import Tenant
from flexhub.inventory.commands import AdjustStock, CreateLocation
from flexhub.kernel.messages import Actor

TENANT = "demo-brand"
HOT_SKU = "TEE-CLASSIC-BLACK-M"
PRODUCTS = {"TEE-CLASSIC": "Classic tee", "HOODIE-CLOUD": "Cloud hoodie", "CAP-LOGO": "Logo cap"}
COLOURS = ("BLACK", "WHITE", "SAND")
SIZES = ("S", "M", "L", "XL")
NODES = (  # code, kind, name, province, city, latitude, longitude, can_pickup, priority
    ("WH-HZ-CENTRAL", "central", "Hangzhou central warehouse", "浙江省", "杭州市", 30.27, 120.15, False, 10),
    ("WH-GZ-SOUTH", "regional", "Guangzhou regional warehouse", "广东省", "广州市", 23.13, 113.26, False, 20),
    ("STORE-SH-JINGAN", "store", "Shanghai Jing'an store", "上海市", "上海市", 31.23, 121.45, True, 50),
    ("STORE-BJ-SANLITUN", "store", "Beijing Sanlitun store", "北京市", "北京市", 39.94, 116.45, True, 50),
)
CHANNELS = (("douyin-live", "douyin", "Douyin live room"), ("web", "generic", "Own web shop"))


@dataclass(frozen=True)
class Brand:
    admin: Actor
    admin_key: str
    created: bool


def seed(hub: Hub) -> Brand:
    """Create the brand once; later runs reuse it and only mint a fresh admin key."""
    with hub.uow(write=False) as uow:
        tenant_id = uow.connection.execute(select(Tenant.id).where(Tenant.code == TENANT)).scalar()
    created = tenant_id is None
    if created:
        tenant_id = hub.handle(CreateTenant(code=TENANT, name="Demo Brand 示例品牌"))["id"]
    admin = Actor(tenant_id=tenant_id, role="admin", name="demo")
    if created:
        _catalog(hub, admin)
        _nodes_and_stock(hub, admin)
        for code, platform, name in CHANNELS:
            hub.handle(CreateChannel(actor=admin, code=code, platform=platform, name=name))
    key = hub.handle(CreateApiKey(actor=admin, role="admin", name="demo"))["token"]
    return Brand(admin, key, created)


def sku_codes() -> list[str]:
    return [f"{spu}-{colour}-{size}" for spu in PRODUCTS for colour in COLOURS for size in SIZES]


def _catalog(hub: Hub, admin: Actor) -> None:
    for spu, name in PRODUCTS.items():
        for colour in COLOURS:
            for size in SIZES:
                code = f"{spu}-{colour}-{size}"
                hub.handle(CreateSku(actor=admin, code=code, name=f"{name} {colour.lower()} {size}", spu=spu,
                                     spu_name=name, weight_g=250 if spu != "HOODIE-CLOUD" else 600))
    hub.handle(CreateBundle(actor=admin, code="SET-TEE-CAP-BLACK", name="Tee + cap set",
                            components={HOT_SKU: 1, "CAP-LOGO-BLACK-M": 1}))


def _nodes_and_stock(hub: Hub, admin: Actor) -> None:
    for code, kind, name, province, city, lat, lon, pickup, priority in NODES:
        hub.handle(CreateLocation(actor=admin, code=code, kind=kind, name=name, country="CN", province=province,
                                  city=city, latitude=lat, longitude=lon, can_pickup=pickup, priority=priority))
    for index, sku in enumerate(sku_codes()):
        for node, *_ in NODES:
            quantity = 40 + (index * 7) % 60 if node.startswith("WH") else 5 + index % 6
            hub.handle(AdjustStock(actor=admin, sku=sku, location=node, quantity_delta=quantity,
                                   reason="opening stock", kind="receive"))
