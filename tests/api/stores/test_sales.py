"""A store sale over the API, paid through the sandbox WeChat Pay: one payment for a line taken now, one picked up
later and one shipped from the central warehouse; the notification verified before anything is written (a spoiled
one refused 401 `payments.bad_signature` with nothing changed), then the take-now unit handed over, the pick-up
order given its code, the shipped line routed to WH-CENTRAL, and the member's points earned."""

import uuid

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import line, order_body
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import level
from flexhub.testing.stores import MEMBERS, STORE, notify, open_store, pay_offline, register

SALES = f"/api/v1/stores/{STORE}/sales"
SHIP_TO = {"country": "CN", "province": "上海市", "city": "上海市", "line1": "南京西路 1 号"}


def test_one_payment_split_fulfilment_and_a_bad_signature_refused(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    member = register(api)
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"},
                                      {"sku": "TEE-RED-M", "quantity": 1, "mode": "pickup"},
                                      {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}],
                            "buyer": {"name": "王小明", "phone": "13800138000", "openid": "oBuyer-1"},
                            "ship_to": SHIP_TO, "member_id": member["id"]}, role="operator")
    assert sale["state"] == "pending" and sale["total"] == 9900 * 2 + 4900
    assert sale["payment"]["pay_params"]["package"] == f"prepay_id={sale['payment']['prepay_id']}"
    assert {o["mode"] for o in sale["orders"]} == {"take", "pickup", "ship"}
    held = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    assert (held["on_hand"], held["reserved"]) == (2, 2)  # held for the sale until it is paid

    api.hub.relay.run_once()  # the checkout's events out, so only the notification could change anything
    before = fingerprint(api.hub.engine)
    refused = notify(api, sandbox, sale["id"], spoil=True)
    assert_error(refused, 401, "payments.bad_signature")
    assert fingerprint(api.hub.engine) == before

    assert notify(api, sandbox, sale["id"]).status_code == 204
    assert notify(api, sandbox, sale["id"]).status_code == 204  # told again: applied once
    (paid,) = api.get(SALES)
    assert paid["state"] == "paid" and paid["payment"]["transaction_id"]
    ways = {o["mode"]: o for o in paid["orders"]}
    assert ways["take"]["state"] == "collected" and ways["pickup"]["state"] == "awaiting_pickup"
    assert len(ways["pickup"]["pickup_code"]) == 6
    store = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    assert (store["on_hand"], store["reserved"]) == (1, 1)  # one handed over, one put aside for pick-up
    routed = api.get(f"/api/v1/orders/{ways['ship']['order_id']}/routing")
    assert routed["nodes"] == ["WH-CENTRAL"]
    assert api.get(f"{MEMBERS}/{member['id']}")["points"] == (9900 * 2 + 4900) // 100


def test_a_sale_refused_writes_nothing(api: Api) -> None:
    open_store(api, store_stock=1)
    pay_offline(api)
    other = api.add_tenant("globex")
    before = fingerprint(api.hub.engine)
    too_many = api.client.post(SALES, json={"lines": [{"sku": "TEE-RED-M", "quantity": 2, "mode": "take"}]},
                               headers=api.headers())
    assert too_many.status_code == 409, too_many.text
    no_address = api.client.post(SALES, json={"lines": [{"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}]},
                                 headers=api.headers())
    assert_error(no_address, 422, "stores.invalid_sale")
    foreign = api.client.post(SALES, json={"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"}]},
                              headers=other.headers())
    assert_error(foreign, 404, "inventory.unknown_location")
    assert fingerprint(api.hub.engine) == before


def test_the_staff_page_hands_a_pick_up_over_by_its_code(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 2, "mode": "pickup"}],
                            "buyer": {"name": "李雷", "phone": "13900000001"}})
    assert "h5_url" in sale["payment"]  # no openid: H5
    assert notify(api, sandbox, sale["id"]).status_code == 204
    code = api.get(SALES)[0]["orders"][0]["pickup_code"]
    api.client.cookies.clear()
    assert api.client.post("/login", data={"api_key": api.tenant.tokens["operator"]},
                           follow_redirects=False).status_code == 303
    page = api.client.get(f"/store/{STORE}").text
    assert 'data-figure="pickups">1<' in page and 'data-action="verify"' in page

    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    wrong = api.client.post(f"/store/{STORE}/pickups", data={"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 409 and 'data-code="fulfillment.wrong_pickup_code"' in wrong.text
    assert fingerprint(api.hub.engine) == before

    done = api.client.post(f"/store/{STORE}/pickups", data={"code": code}, follow_redirects=False)
    assert done.status_code == 303
    page = api.client.get(done.headers["location"]).text
    assert 'data-collected="' in page and 'data-figure="pickups">0<' in page
    store = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    assert (store["on_hand"], store["reserved"]) == (0, 0)
    looked = api.client.get(f"/store/{STORE}", params={"sku": "CAP-BLK"}).text
    assert 'data-figure="store">0<' in looked and 'data-figure="network">3<' in looked


def test_one_member_across_the_store_and_an_online_channel(api: Api) -> None:
    """The member's purchase history and points hold the store sale (their phone at the till) and a web order
    (their phone online), each earning once."""
    open_store(api)
    sandbox = pay_offline(api)
    member = register(api)
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"}],
                            "buyer": {"name": "王小明", "phone": "13800138000"}})
    assert notify(api, sandbox, sale["id"]).status_code == 204
    online = api.client.post(ORDERS, headers=api.headers(), json=order_body(
        "W-1", buyer={"name": "王小明", "phone": "+8613800138000"}, lines=[line("TEE-RED-M", 2, 4900)]))
    assert online.status_code in (200, 201), online.text
    api.hub.relay.run_once()
    api.hub.relay.run_once()  # told twice: earned once
    seen = api.get(f"{MEMBERS}/{member['id']}")
    assert {(o["channel"], o["external_id"]) for o in seen["orders"]} == {
        ("store-store-sh", f"{uuid.UUID(sale['id']).hex}-T"), ("web", "W-1")}
    assert seen["points"] == 99 + 98
