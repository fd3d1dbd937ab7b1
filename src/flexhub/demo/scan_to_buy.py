"""The demo's stores in the WeChat ecosystem: a shelf price for every SKU, QR codes for every SKU in each of the
four stores (the shopper's links, printed with the sheet of labels), members who shop in store and online, and a
welcome coupon for each, redeemable at any store."""

from dataclasses import dataclass
from datetime import timedelta

from flexhub.bootstrap import Hub
from flexhub.demo.brand import NODES, PRODUCTS, sku_codes
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.members.commands import CreateCoupon, IssueCoupon, RegisterMember
from flexhub.stores import links
from flexhub.stores.commands import SetShelfPrice

STORES = tuple(code for code, kind, *_ in NODES if kind == "store")
PRICES = {"TEE": 9900, "HOODIE": 29900, "JACKET": 39900, "PANTS": 25900, "SKIRT": 19900, "DRESS": 59900,
          "CAP": 7900, "BAG": 12900, "MUG": 6900}  # by the product's first word, minor units of CNY
MEMBERS = (("13800138001", "王小明"), ("13800138002", "李娜"), ("13800138003", "Chen Wei"), ("13800138004", "赵敏"))


@dataclass(frozen=True)
class Shelves:
    prices: int
    members: list[str]
    shelf_paths: dict[str, str]  # store → the shopper's page of its first SKU (relative to the hub's address)


def seed(hub: Hub, admin: Actor) -> Shelves:
    codes = sku_codes()
    for code in codes:
        hub.handle(SetShelfPrice(actor=admin, sku=code, amount=_price(code), currency="CNY"))
    now = clock.now()
    hub.handle(CreateCoupon(actor=admin, code="WELCOME20", kind="amount", value=2000, currency="CNY",
                            threshold=9900, valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30)))
    members = []
    for phone, name in MEMBERS:
        member = hub.handle(RegisterMember(actor=admin, phone=phone, name=name))
        hub.handle(IssueCoupon(actor=admin, member_id=member.id, coupon="WELCOME20"))
        members.append(member.id)
    paths = {store: links.shelf_path(hub.vault, admin.tenant_id, store, codes[0]) for store in STORES}
    return Shelves(len(codes), members, paths)


def _price(code: str) -> int:
    spu = next(spu for spu in PRODUCTS if code.startswith(spu + "-"))
    return PRICES.get(spu.split("-")[0], 9900)
