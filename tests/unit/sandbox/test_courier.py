"""The sandbox delivers each store's webhooks from senders of its own: a sale over several stores does not queue
behind a few connections shared by all of them (it did, four in all: a median 53 s in the sandbox before the hub saw
a flash sale's webhooks)."""

import asyncio
from typing import Any

from flexhub.sandbox.courier import SENDERS_PER_STORE
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served

ANSWER_S = 0.2


def test_each_store_that_pushes_its_orders_brings_its_own_senders() -> None:
    in_flight = {"now": 0, "most": 0}

    async def slow_hub(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        in_flight["now"] += 1
        in_flight["most"] = max(in_flight["most"], in_flight["now"])
        await asyncio.sleep(ANSWER_S)
        in_flight["now"] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    market = Market()
    try:
        with served(slow_hub) as hub_url:
            market.hub_url = hub_url
            pushing = [market.open_store(platform, f"{platform}-1", ["SKU-1"], quantity=100)
                       for platform in ("shopify", "woocommerce")]
            market.open_store("taobao", "taobao-1", ["SKU-1"], quantity=100)  # polled: sends nothing itself
            for _ in range(4 * SENDERS_PER_STORE):
                for store in pushing:
                    market.place_order(store, {"SKU-1": 1})
            assert market.courier.drain(timeout=30)
    finally:
        market.close()

    assert market.courier.threads == 2 * SENDERS_PER_STORE
    assert in_flight["most"] == 2 * SENDERS_PER_STORE
    assert market.courier.delivered == 8 * SENDERS_PER_STORE
    assert len(market.courier.waited_s) == 8 * SENDERS_PER_STORE
    assert min(market.courier.answered_s) >= ANSWER_S - 0.005  # the clocks of the sleep and the stopwatch differ
