"""The demo's shoppers in its four stores: through the trading day they scan a shelf code, and on the phone page put
the SKU in the cart — to take now or pick up later when the store has it, to be shipped (from the central warehouse
or the node routing chooses) when it does not or when they would rather have it sent home — check out, and pay
through the sandbox WeChat Pay, whose notification comes back to the hub over HTTP like WeChat Pay's would. At the
end of the day the staff hand over the pick-ups waiting, by their codes. Everything goes through the hub's pages
and commands, as phones and staff would."""

import random
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx2
import structlog

from flexhub.bootstrap import Hub
from flexhub.demo.brand import NODES, sku_codes
from flexhub.demo.scan_to_buy import MEMBERS, STORES
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.sandbox.server import served
from flexhub.sandbox.wechatpay import SandboxWechatPay, create_app
from flexhub.stores import links, pickups, queries
from flexhub.stores.commands import CollectAtStore, SetWechatPay

log = structlog.get_logger(__name__)
WALK_INS = ("13911110001", "13911110002", "13911110003")  # shoppers who are not members
CITIES = tuple((province, city) for _, _, _, province, city, *_ in NODES)
DISTRICTS = {"杭州市": "西湖区", "广州市": "天河区", "成都市": "武侯区", "天津市": "和平区", "上海市": "静安区",
             "北京市": "朝阳区", "深圳市": "南山区", "武汉市": "江汉区", "东莞市": "虎门镇"}  # where parcels go
HANDED_OVER, WAITING = "collected", ("on_hold", "exception", "awaiting_stock")
EVERY_S = 1.0  # a shopper checks out about this often
ALL_SHOPPERS_PER_MINUTE = 600.0  # the public pages' limit for this machine, standing in for every phone


@dataclass(frozen=True)
class Day:
    """The store sales of the day as the hub keeps them: paid, and what became of each way of buying."""

    paid: int
    orders: dict[str, int]  # mode → orders paid
    handed_over: dict[str, int]  # mode → orders handed over at the store (taken now, picked up by code)
    waiting: int  # paid orders held (the cleaning rules) or short of stock: someone must see to them


@dataclass
class Shoppers:
    hub: Hub
    admin: Actor
    hub_url: str
    wechatpay: SandboxWechatPay = field(default_factory=SandboxWechatPay)
    refused: int = 0
    shipped_from: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def open(self, stack: ExitStack) -> "Shoppers":
        """The tenant's WeChat Pay merchant account is the sandbox's, served on this machine (no network)."""
        url = stack.enter_context(served(create_app(self.wechatpay)))
        self.hub.handle(SetWechatPay(actor=self.admin, allow_private=True, **self.wechatpay.credentials(url)))
        return self

    def start(self) -> "Shoppers":
        self._thread = threading.Thread(target=self._shop, name="demo-shoppers", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """The day ends: no more shoppers; the staff hand over every pick-up waiting."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        for store in STORES:
            self._collect(store)

    def _shop(self) -> None:
        chooser = random.Random(16)
        skus = sku_codes()
        with httpx2.Client(base_url=self.hub_url, timeout=30.0) as phone:
            while not self._stop.wait(EVERY_S * chooser.uniform(0.5, 1.5)):
                store, sku = chooser.choice(STORES), chooser.choice(skus)
                try:
                    self._buy(phone, chooser, store, sku)
                except (FlexhubError, httpx2.HTTPError, KeyError, ValueError) as error:
                    self.refused += 1
                    log.warning("scan-to-buy refused", store=store, sku=sku, error=str(error))

    def _buy(self, phone: httpx2.Client, chooser: random.Random, store: str, sku: str) -> None:
        with self.hub.uow(write=False) as uow:
            shelf = queries.shelf_view(uow, self.admin.tenant_id, store, sku)
        if shelf["store"]["available"] > 0:  # some have it sent home all the same
            mode = chooser.choice(("take", "pickup", "ship") if shelf["promise"]["ship"] else ("take", "pickup"))
        elif shelf["promise"]["ship"]:
            mode = "ship"
        else:
            return  # nowhere has it: the shopper walks on
        path = links.shelf_path(self.hub.vault, self.admin.tenant_id, store, sku)
        assert phone.get(path).status_code == 200  # the scan
        store_path, tag = path.split("?")[0].rsplit("/", 1)[0], parse_qs(urlsplit(path).query)["k"][0]
        added = phone.post(f"{store_path}/cart/items", data={"sku": sku, "k": tag, "mode": mode, "c": ""})
        cart = parse_qs(urlsplit(_redirected(added)).query)["c"][0]
        phone_number, name = chooser.choice(MEMBERS + tuple((n, "顾客") for n in WALK_INS))
        province, city = chooser.choice(CITIES)
        receipt = _redirected(phone.post(f"{store_path}/cart/checkout", data={
            "c": cart, "name": name, "phone": phone_number, "province": province, "city": city,
            "district": DISTRICTS[city], "line1": "人民路 1 号"}))
        sale_id = urlsplit(receipt).path.rsplit("/", 1)[1]
        notify_url, headers, body = self.wechatpay.pay(sale_id.replace("-", ""))
        paid = phone.post(urlsplit(notify_url).path, headers=headers, content=body.encode())
        if paid.status_code != 204:
            raise ValueError(f"the payment's notification was answered {paid.status_code}: {paid.text[:200]}")
        if mode == "ship":
            for node in _nodes(phone.get(receipt).text):
                self.shipped_from[node] = self.shipped_from.get(node, 0) + 1

    def day(self) -> Day:
        """What the stores' sales came to (read from the hub, not counted by the shoppers)."""
        orders, handed, paid, waiting = {"take": 0, "pickup": 0, "ship": 0}, {"take": 0, "pickup": 0}, 0, 0
        with self.hub.uow(write=False) as uow:
            sales = [sale for store in STORES for sale in queries.sales_at(uow, self.admin.tenant_id, store,
                                                                            limit=100_000) if sale["paid_at"]]
        for sale in sales:
            paid += 1
            for order in sale["orders"]:
                orders[order["mode"]] += 1
                handed[order["mode"]] = handed.get(order["mode"], 0) + (order.get("state") == HANDED_OVER)
                waiting += order.get("state") in WAITING
        return Day(paid, orders, handed, waiting)

    def _collect(self, store: str) -> None:
        staff = Actor(tenant_id=self.admin.tenant_id, role="operator", name=f"demo:staff {store}")
        with self.hub.uow(write=False) as uow:
            waiting = pickups.waiting(queries.sales_at(uow, self.admin.tenant_id, store, limit=500))
        for order in waiting:
            try:
                self.hub.handle(CollectAtStore(actor=staff, location=store, code=order["pickup_code"]))
            except FlexhubError as error:
                log.warning("pick-up not handed over", store=store, error=str(error))


def _redirected(answer: httpx2.Response) -> str:
    if answer.status_code != 303:
        raise ValueError(f"the phone page answered {answer.status_code}")
    return answer.headers["location"]


def _nodes(receipt: str) -> list[str]:
    marker = 'data-ship-from="'
    start = receipt.find(marker)
    return [] if start < 0 else [n for n in receipt[start + len(marker):receipt.find('"', start + len(marker))]
                                 .split(",") if n]
