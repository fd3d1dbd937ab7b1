"""The brand's order cleaning rules and its resellers' terms, then a few dirty orders the rules catch and a
reseller placing orders with its own key — so the exceptions page shows holds and the reseller pages an account.

Every sandbox buyer is the same person at the same address, so the rules that look at the buyer's history
(duplicates) are limited to `phone-orders`, the orders customer service keys in, where the dirty ones arrive."""

from typing import Any

import httpx2

from flexhub.bootstrap import Hub
from flexhub.channels.commands import CreateChannel
from flexhub.cleaning import SetCleaningRules
from flexhub.demo.brand import HOT_SKU, RESELLERS
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import ImportOrder, OrderIn
from flexhub.resellers import SetResellerPrices, SetResellerTerms

PHONE_ORDERS = "phone-orders"
BLOCKED_PHONE = "13900000000"
RULES: list[dict[str, Any]] = [
    {"name": "address", "kind": "address", "action": "hold"},
    {"name": "bulk", "kind": "quantity", "action": "hold", "params": {"max_units_per_line": 50}},
    {"name": "blocked", "kind": "blacklist", "action": "reject", "params": {"phones": [BLOCKED_PHONE]}},
    {"name": "same-order-twice", "kind": "duplicate", "channel": PHONE_ORDERS, "params": {"window_minutes": 120}},
    {"name": "floor", "kind": "price_floor", "params": {"price_list": True}},
]
# (credit limit, 代发费, supply price) in SGD cents: reseller-my's small limit holds some of its orders.
TERMS = {"reseller-sg": (2_000_000, 300, 6900), "reseller-my": (30_000, 300, 7200)}
GOOD = {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区", "line1": "文三路 90 号",
        "postal_code": "310000"}


def seed(hub: Hub, admin: Actor, listed: list[str]) -> None:
    """The rules, the customer service channel, and each reseller's terms and price list."""
    hub.handle(CreateChannel(actor=admin, code=PHONE_ORDERS, platform="generic", name="Orders taken by phone"))
    hub.handle(SetCleaningRules(actor=admin, rules=RULES))
    first = clock.now().date().replace(day=1)
    for partner in RESELLERS:
        limit, fee, price = TERMS[partner]
        hub.handle(SetResellerTerms(actor=admin, partner=partner, currency="SGD", credit_limit=limit,
                                    dropship_fee=fee))
        hub.handle(SetResellerPrices(actor=admin, partner=partner, prices=[
            {"sku": sku, "unit_price": price, "valid_from": first, "valid_to": None} for sku in listed]))


def dirty_orders() -> list[dict[str, Any]]:
    """Orders customer service keyed in badly: what each rule is for."""
    def order(number: str, address: dict[str, Any], quantity: int = 1, phone: str = "13800138001") -> dict[str, Any]:
        return {"channel": PHONE_ORDERS, "external_id": number, "currency": "CNY",
                "buyer": {"name": "周女士", "phone": phone}, "shipping_address": address,
                "lines": [{"sku": HOT_SKU, "quantity": quantity, "unit_price": 12900}]}
    return [
        order("TEL-0001", {"country": "CN"}),  # no province, city, district or street
        order("TEL-0002", {**GOOD, "country": "ZZ"}),  # not a country
        order("TEL-0003", {**GOOD, "postal_code": "100000"}),  # a Beijing postal code in Hangzhou
        order("TEL-0004", GOOD, quantity=900),  # 900 of the flash sale's SKU
        order("TEL-0005", {**GOOD, "line1": "文三路 92 号"}, phone="13800138009"),
        order("TEL-0006", {**GOOD, "line1": "文三路 92 号"}, phone="13800138009"),  # the same order again
        order("TEL-0007", GOOD, phone=BLOCKED_PHONE),  # a blacklisted phone: refused, nothing stored
    ]


def plant(hub: Hub, admin: Actor) -> dict[str, int]:
    """The dirty orders imported; how many were held, refused and taken."""
    found = {"held": 0, "refused": 0, "taken": 0}
    for body in dirty_orders():
        try:
            imported = hub.handle(ImportOrder(actor=admin, order=OrderIn.model_validate(body)))
        except FlexhubError:
            found["refused"] += 1
            continue
        found["held" if imported.status == "on_hold" else "taken"] += 1
    return found


def reseller_orders(hub_url: str, key: str, skus: list[str]) -> dict[str, int]:
    """reseller-sg (the key is its own) sells three orders on its own and sends them, as its own system would."""
    found: dict[str, int] = {}
    with httpx2.Client(base_url=hub_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for n, sku in enumerate(skus[:3], start=1):
            body = {"channel": "shopee-reseller-sg", "external_id": f"SG-OWN-{n:04d}", "currency": "SGD",
                    "buyer": {"name": "Tan Mei Ling", "phone": "+6591234567"},
                    "shipping_address": {"country": "SG", "city": "Singapore", "line1": f"{n} Orchard Road",
                                         "postal_code": "238801"},
                    "lines": [{"sku": sku, "quantity": 1, "unit_price": 9900}]}
            answer = client.post("/api/v1/orders", json=body)
            status = answer.json().get("status") if answer.status_code in (200, 201) else str(answer.status_code)
            found[status] = found.get(status, 0) + 1
    return found
