"""The brand's stores, each a sandbox store speaking its platform's wire format, and a flexhub channel.

Two Douyin live rooms, Taobao, JD, Shopify, Amazon (stock only: its order API lags two minutes behind),
WeChat shop and the brand's own site; two resellers sell on Shopee from their consigned stock first (the
first connects its store itself, with its own key).
Kuaishou is left out: it sets stock by difference and needs a read-back of its count first.
The stores start with what the brand showed there before connecting flexhub: close to the hub's figures, one listing
in six off by a few units (`as_the_brand_left_them`), not empty as a new store would be.
"""

from dataclasses import dataclass

from flexhub.bootstrap import Hub
from flexhub.channels.commands import CreateChannel, CreateListing
from flexhub.demo import resellers
from flexhub.demo.brand import HOT_SKU, RESELLERS, sku_codes
from flexhub.inventory.rules import consigned_pool
from flexhub.kernel.messages import Actor
from flexhub.sandbox.market import Market
from flexhub.sandbox.store import Store
from flexhub.sync import figures as sync_figures


@dataclass(frozen=True)
class Shop:
    platform: str
    code: str
    name: str
    sells: bool = True
    live_room: bool = False
    partner: str | None = None
    by_itself: bool = False  # the reseller connects it with its own key (demo/resellers.py), not the brand


SHOPS = (
    Shop("douyin", "douyin-live-1", "Douyin live room 1", live_room=True),
    Shop("douyin", "douyin-live-2", "Douyin live room 2", live_room=True),
    Shop("taobao", "tmall-flagship", "Tmall flagship store"),
    Shop("jd", "jd-flagship", "JD flagship store"),
    Shop("shopify", "shopify-global", "Shopify global store"),
    Shop("amazon", "amazon-us", "Amazon US (stock only)", sells=False),
    Shop("wechat", "wechat-shop", "WeChat shop"),
    Shop("generic", "web", "Own web shop"),
    *(Shop("shopee", f"shopee-{p}", f"Shopee store of {p}", partner=p, by_itself=p == RESELLERS[0])
      for p in RESELLERS),
)
LISTED = 24  # SKUs each store lists, the hot SKU always among them
OFF_EVERY = 6  # one listing in this many starts off the hub's figure (what the brand had there)
OFFSETS = (3, -2, 5, -1)  # by this much, in turn


def open_all(hub: Hub, admin: Actor, market: Market, reseller_key: str) -> list[Store]:
    """Every store opened in the sandbox and connected: by the brand, or by the first reseller's own key."""
    stores = []
    for index, shop in enumerate(SHOPS):
        skus = _assortment(index)
        store = market.open_store(shop.platform, shop.code, skus, sells=shop.sells)
        stores.append(store)
        if shop.by_itself and shop.partner:
            resellers.connect_own_store(market.hub_url, reseller_key, shop.partner, shop.code, shop.name, store)
            continue
        pools = [consigned_pool(shop.partner), "spot"] if shop.partner else ["spot"]
        settings = {} if store.platform.pushes_orders or not shop.sells else {"poll_every_s": 1}
        hub.handle(CreateChannel(actor=admin, code=shop.code, platform=shop.platform, name=shop.name,
                                 partner=shop.partner, pools=pools, settings=settings,
                                 credentials=dict(store.credentials)))
        for listing in store.listings.values():
            hub.handle(CreateListing(actor=admin, channel=shop.code, external_sku=listing.sku, sku=listing.sku,
                                     external_item_id=listing.item_id, external_location_id=listing.location_id))
    as_the_brand_left_them(hub, admin, stores)
    return stores


def as_the_brand_left_them(hub: Hub, admin: Actor, stores: list[Store]) -> None:
    """Each store starts with what the brand showed there before connecting flexhub: the figures its stock allowed,
    one listing in OFF_EVERY off by a few (sales and corrections its old tool never caught up with). The first sync
    reads them where that is cheaper than pushing (Amazon, sync.first_read) and pushes only those that differ."""
    with hub.uow(write=False) as uow:
        figures = sync_figures.figures_now(uow.connection, admin.tenant_id)
    for store in stores:
        for listing in store.listings.values():
            figure = figures.get((store.code, listing.sku))
            if figure is not None:
                off = OFFSETS[listing.index // OFF_EVERY % len(OFFSETS)] if listing.index % OFF_EVERY == 1 else 0
                listing.quantity = max(0, figure + off)


def _assortment(index: int) -> list[str]:
    everything = [sku for sku in sku_codes() if sku != HOT_SKU]
    start = (index * 17) % len(everything)
    return [HOT_SKU, *(everything[(start + n) % len(everything)] for n in range(LISTED - 1))]
