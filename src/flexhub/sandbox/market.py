"""The stores of one sandbox and what happens to them: API calls, orders placed, webhooks resent.

Every call goes through `serve`: the store is found by its platform and code (the first two parts of
the path), the platform module names the operation, the operation's token bucket is charged (an
empty one answers as the platform does when throttling, counted), then the module checks and serves
the call under the store's lock. Every call is logged, answered or not.
"""

import itertools
import math
from collections.abc import Sequence

from flexhub.kernel import clock
from flexhub.sandbox import platforms
from flexhub.sandbox.courier import SENDERS_PER_STORE, Courier
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.store import Entry, Listing, Order, Store


class Market:
    def __init__(self, *, base_url: str = "", hub_url: str = "", courier: Courier | None = None) -> None:
        self.base_url = base_url.rstrip("/")  # where this sandbox is served; stores' credentials point here
        self.hub_url = hub_url.rstrip("/")  # where order webhooks go
        self.courier = courier or Courier(threads=0)  # each store pushing its orders adds its own senders
        self.stores: dict[tuple[str, str], Store] = {}
        self._numbers = itertools.count(1)

    def open_store(self, platform: str, code: str, skus: Sequence[str], *, quantity: int = 0,
                   sells: bool = True) -> Store:
        rules = platforms.platform(platform)
        base = f"{self.base_url}/{platform}/{code}"
        listings = [Listing(index, sku, *rules.listing_ids(index), quantity=quantity) for index, sku in enumerate(skus)]
        store = Store(rules, code, rules.credentials(code, base, self.hub_url), listings, sells=sells)
        self.stores[(platform, code)] = store
        if rules.pushes_orders:
            self.courier.add_senders(SENDERS_PER_STORE)
        return store

    def store(self, platform: str, code: str) -> Store | None:
        return self.stores.get((platform, code))

    def serve(self, platform: str, code: str, request: Received) -> Answer:
        store = self.store(platform, code)
        if store is None:
            return Answer(404, {"error": f"no {platform} store {code} in this sandbox"})
        answer, operation = self._answer(store, request)
        store.record(Entry(request.at, request.method, request.path, operation, answer.status, answer.figures))
        return answer

    def place_order(self, store: Store, wanted: dict[str, int]) -> Order | None:
        """A buyer orders; None when a listing shows too little. Pushing platforms send the webhook now."""
        number = next(self._numbers)
        order = store.sell(number, store.platform.order_id(number), wanted, clock.now())
        if order is not None and store.platform.pushes_orders:
            self.resend(store, order.external_id)
        return order

    def resend(self, store: Store, external_id: str) -> None:
        """Deliver an order's webhook (again: platforms redeliver, and the hub must keep the order once)."""
        webhook = store.platform.webhook(store, store.orders[external_id])
        self.courier.deliver(self.hub_url, webhook, lambda status: store.record(
            Entry(clock.now(), "POST", webhook.path, "webhook", status, outbound=True)))

    def close(self) -> None:
        self.courier.close()

    def _answer(self, store: Store, request: Received) -> tuple[Answer, str | None]:
        rules = store.platform
        operation = rules.operation(request)
        if operation is None:
            return Answer(404, {"error": f"{rules.name} serves no {request.method} {request.path}"}), None
        cost = rules.cost(operation, request)
        bucket = store.buckets[operation]
        if not bucket.take(cost):
            with store.lock:
                store.throttled += 1
            return rules.throttled(operation, math.ceil(cost / bucket.rate * 1000) / 1000), operation
        try:
            with store.lock:
                answer = rules.handle(store, operation, request)
                for sku, quantity in answer.figures.items():
                    store.show(sku, quantity, request.at)
        except Refused as refusal:
            answer = refusal.answer
        return answer, operation
