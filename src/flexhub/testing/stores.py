"""Builders for stores and members tests over the HTTP API: a central warehouse and a store stocked with TEE-RED-M,
a SKU only the warehouse holds, shelf prices, and a member."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2

from flexhub.testing.api_client import ADJUSTMENTS, LOCATIONS, SKUS, Api

if TYPE_CHECKING:
    from flexhub.sandbox.wechatpay import SandboxWechatPay

STORE = "STORE-SH"
MEMBERS = "/api/v1/members"


def shelf(location: str = STORE, sku: str = "TEE-RED-M") -> str:
    return f"/api/v1/stores/{location}/skus/{sku}"


def open_store(api: Api, *, store_stock: int = 2, central_stock: int = 5) -> None:
    """TEE-RED-M: `central_stock` at WH-CENTRAL (Hangzhou), `store_stock` at STORE-SH (Shanghai, pick-up); CAP-BLK
    at WH-CENTRAL only (3); shelf prices 99.00 and 49.00 CNY; the `web` channel."""
    api.stock_shop(stock=central_stock)
    api.post(LOCATIONS, {"code": STORE, "kind": "store", "name": "Shanghai Jing'an", "country": "CN",
                         "province": "上海市", "city": "上海市", "can_pickup": True, "priority": 30})
    api.post(SKUS, {"code": "CAP-BLK", "name": "Cap, black"})
    receive(api, "CAP-BLK", "WH-CENTRAL", 3)
    if store_stock:
        receive(api, "TEE-RED-M", STORE, store_stock)
    set_price(api, "TEE-RED-M", 9900)
    set_price(api, "CAP-BLK", 4900)


def receive(api: Api, sku: str, location: str, quantity: int) -> None:
    api.post(ADJUSTMENTS, {"sku": sku, "location": location, "quantity_delta": quantity, "reason": "delivery"})


def set_price(api: Api, sku: str, amount: int, currency: str = "CNY") -> dict[str, Any]:
    response = api.client.put(f"/api/v1/stores/prices/{sku}", json={"amount": amount, "currency": currency},
                              headers=api.headers())
    assert response.status_code == 200, response.text
    return response.json()


def register(api: Api, phone: str = "13800138000", name: str = "王小明", role: str = "admin",
             status: int = 201, **ids: str) -> dict[str, Any]:
    return api.post(MEMBERS, {"phone": phone, "name": name, **ids}, role=role, status=status)


def pay_offline(api: Api) -> "SandboxWechatPay":
    """A sandbox WeChat Pay the hub's calls reach (no network), set up as the tenant's merchant account."""
    from flexhub.sandbox.wechatpay import SandboxWechatPay

    sandbox = SandboxWechatPay()
    api.hub.http = httpx2.Client(transport=httpx2.MockTransport(sandbox.handle))
    response = api.client.put("/api/v1/stores/wechatpay", headers=api.headers(),
                              json={**sandbox.credentials(), "allow_private": True})
    assert response.status_code == 200, response.text
    return sandbox


def notify(api: Api, sandbox: "SandboxWechatPay", sale_id: str, *, spoil: bool = False) -> Any:
    """WeChat Pay tells the hub the sale is paid (its notification posted where the prepay said)."""
    return told(api, *sandbox.pay(uuid.UUID(sale_id).hex), spoil=spoil)


def give_coupon(api: Api, member_id: str, code: str = "TWENTY", value: int = 2000, threshold: int = 0) -> None:
    """A coupon of `value` off from `threshold`, valid now on every channel, issued to the member."""
    now = datetime.now(UTC)
    api.post(f"{MEMBERS}/coupons", {"code": code, "kind": "amount", "value": value, "currency": "CNY",
                                    "threshold": threshold, "valid_from": (now - timedelta(days=1)).isoformat(),
                                    "valid_until": (now + timedelta(days=30)).isoformat()}, status=201)
    api.post(f"{MEMBERS}/{member_id}/coupons", {"coupon": code}, status=201)


def told(api: Api, url: str, headers: dict[str, str], body: str, *, spoil: bool = False) -> Any:
    """A notification WeChat Pay made posted where it was asked to go (spoiled: one character of it changed)."""
    if spoil:
        body = body.replace('"summary": "', '"summary": "x')
    answer = api.client.post(urlsplit(url).path, headers=headers, content=body.encode())
    api.hub.relay.run_once()
    return answer


def refund(api: Api, sale: dict[str, Any], orders: list[str] | None = None) -> httpx2.Response:
    """Ask the store's sale to be refunded (whole, or these orders), then let the relay deliver what it wrote."""
    body = {"reason": "did not fit", **({"orders": orders} if orders else {})}
    answer = api.client.post(f"/api/v1/stores/{STORE}/sales/{sale['id']}/refunds", json=body, headers=api.headers())
    api.hub.relay.run_once()
    return answer
