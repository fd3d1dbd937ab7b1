"""A flash sale: a live room and the web shop hammer one hot SKU at once, through the service layer."""

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flexhub.bootstrap import Hub
from flexhub.demo.brand import HOT_SKU
from flexhub.inventory.commands import AdjustStock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.schemas import OrderIn

BUYER = {"name": "直播间买家", "phone": "13800000000"}
ADDRESS = {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区", "line1": "文三路 90 号",
           "postal_code": "310000"}


@dataclass
class SaleResult:
    outcomes: Counter = field(default_factory=Counter)
    stock_added: int = 0
    seconds: float = 0.0

    @property
    def orders(self) -> int:
        return sum(self.outcomes.values())


def run(hub: Hub, admin: Actor, *, orders: int, restock: int, concurrency: int,
        advance: Callable[[int], None]) -> SaleResult:
    """Restock the hot SKU, then fire `orders` single-unit orders from many threads at once."""
    hub.handle(AdjustStock(actor=admin, sku=HOT_SKU, location="WH-HZ-CENTRAL", quantity_delta=restock,
                           reason="flash sale allocation", kind="receive"))
    run_id = new_id().hex[-8:]
    commands = [ImportOrder(actor=admin, order=_order(run_id, n)) for n in range(orders)]
    result = SaleResult(stock_added=restock)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for outcome in pool.map(lambda cmd: _place(hub, cmd), commands):
            result.outcomes[outcome] += 1
            advance(1)
    result.seconds = time.perf_counter() - started
    return result


def _order(run_id: str, n: int) -> OrderIn:
    live = n % 4 != 0  # three in four orders come from the live room
    return OrderIn.model_validate({
        "channel": "douyin-live" if live else "web",
        "external_id": f"FS-{run_id}-{n:06d}",
        "currency": "CNY",
        "buyer": BUYER,
        "shipping_address": ADDRESS,
        "lines": [{"sku": HOT_SKU, "quantity": 1, "unit_price": 9900}],
        "live_room": "room-1" if live else None,
        # A platform order was already sold there: it is kept, awaiting stock. The web shop sells live.
        "on_shortage": "backorder" if live else "reject",
    })


def _place(hub: Hub, command: ImportOrder) -> str:
    try:
        return hub.handle(command).status
    except FlexhubError as error:
        return "rejected" if error.code == "inventory.insufficient_stock" else error.code
