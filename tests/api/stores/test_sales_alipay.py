"""A store sale paid through Alipay, the second gateway behind the same sale: the precreate signed RSA2 and its
QR code kept on the sale; Alipay's notification verified before anything is written (spoiled: 401
`payments.bad_signature`, nothing changed, the orders unrouted), then applied once, answered `success`: the
take-now unit handed over and the shipped line routed to the central warehouse."""

import httpx2

from flexhub.sandbox.alipay import SandboxAlipay
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import level
from flexhub.testing.stores import STORE, open_store

SALES = f"/api/v1/stores/{STORE}/sales"
SHIP_TO = {"country": "CN", "province": "上海市", "city": "上海市", "district": "静安区", "line1": "南京西路 1 号"}
LINES = [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"}, {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}]


def alipay_offline(api: Api) -> SandboxAlipay:
    sandbox = SandboxAlipay()
    api.hub.http = httpx2.Client(transport=httpx2.MockTransport(sandbox.handle))
    answer = api.client.put("/api/v1/stores/alipay", headers=api.headers(),
                            json={**sandbox.credentials(), "allow_private": True})
    assert answer.status_code == 200, answer.text
    return sandbox


def told(api: Api, url: str, form: dict[str, str]) -> httpx2.Response:
    answer = api.client.post(httpx2.URL(url).path, data=form)
    api.hub.relay.run_once()
    return answer  # type: ignore[return-value]


def test_a_sale_paid_through_alipay(api: Api) -> None:
    open_store(api)
    assert_error(api.client.post(SALES, headers=api.headers(), json={"lines": LINES, "ship_to": SHIP_TO,
                                                                      "pay_with": "alipay"}), 409,
                 "payments.no_account")
    sandbox = alipay_offline(api)
    sale = api.post(SALES, {"lines": LINES, "ship_to": SHIP_TO, "pay_with": "alipay",
                            "buyer": {"name": "王小明", "phone": "13800138000"}})
    assert sale["payment"]["gateway"] == "alipay" and sale["payment"]["qr_code"].startswith("https://qr.alipay")
    assert sandbox.trades[sale["id"].replace("-", "")].total_amount == "148.00"
    orders = {o["mode"]: o["order_id"] for o in sale["orders"]}

    url, form = sandbox.pay(sale["id"].replace("-", ""))
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    _, spoiled = sandbox.pay(sale["id"].replace("-", ""), spoil=True)
    assert_error(told(api, url, spoiled), 401, "payments.bad_signature")  # type: ignore[arg-type]
    assert_error(told(api, url, {**form, "app_id": "2021999999999999"}), 401,  # type: ignore[arg-type]
                 "payments.bad_signature")
    assert fingerprint(api.hub.engine) == before
    assert api.get(f"{ORDERS}/{orders['ship']}")["status"] == "reserved"

    for _ in range(2):  # told again: applied once
        answer = told(api, url, form)
        assert (answer.status_code, answer.text) == (200, "success")
    paid = api.get(f"{SALES}/{sale['id']}")
    ways = {o["mode"]: o for o in paid["orders"]}
    assert paid["state"] == "paid" and paid["payment"]["transaction_id"] == sandbox.trades[
        sale["id"].replace("-", "")].trade_no
    assert ways["take"]["state"] == "collected"
    assert api.get(f"{ORDERS}/{orders['ship']}/routing")["nodes"] == ["WH-CENTRAL"]
    store = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    assert (store["on_hand"], store["reserved"]) == (1, 0)
    # refunding it through Alipay: test_refunds_alipay.py


def test_the_phone_page_offers_alipay_and_the_receipt_its_qr_code(api: Api) -> None:
    open_store(api)
    sandbox = alipay_offline(api)
    url = httpx2.URL(api.get(f"/api/v1/stores/{STORE}/skus/TEE-RED-M")["url"])
    store = url.path.rsplit("/", 1)[0]
    added = api.client.post(f"{store}/cart/items", follow_redirects=False,
                            data={"sku": "TEE-RED-M", "k": url.params["k"], "mode": "pickup", "c": ""})
    cart = httpx2.URL(added.headers["location"]).params["c"]
    assert 'data-action="checkout-alipay"' in api.client.get(f"{store}/cart/items", params={"c": cart}).text
    done = api.client.post(f"{store}/cart/checkout", follow_redirects=False, data={
        "c": cart, "name": "李雷", "phone": "13900000001", "pay_with": "alipay"})
    assert done.status_code == 303, done.text
    receipt = api.client.get(done.headers["location"]).text
    (trade,) = sandbox.trades.values()
    assert f'data-qr-code="{trade.qr_code}"' in receipt and 'data-state="pending"' in receipt
    notify_url, form = sandbox.pay(trade.out_trade_no)
    assert told(api, notify_url, form).text == "success"
    assert 'data-state="paid"' in api.client.get(done.headers["location"]).text
