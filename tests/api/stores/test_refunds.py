"""Refunding a store sale through the sandbox WeChat Pay: the whole sale at once (the take-now unit back on the
store's shelf, the pick-up put aside let go, the central warehouse's unit let go, the member's points and coupon
exactly as before the sale, the orders refunded), or its orders one by one (the amounts and points adding up to the
sale's); the refund's notification verified like a payment's (a spoiled one refused with nothing written); a second
refund of an order, or a refund of an unpaid sale, refused with nothing changed."""

from typing import Any

from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import level
from flexhub.testing.stores import MEMBERS, STORE, give_coupon, notify, open_store, pay_offline, register, told

SALES = f"/api/v1/stores/{STORE}/sales"
SHIP_TO = {"country": "CN", "province": "上海市", "city": "上海市", "line1": "南京西路 1 号"}
BUYER = {"name": "王小明", "phone": "13800138000", "openid": "oBuyer-1"}


def paid_sale(api: Api) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """A member with 500 points and a 20.00 coupon buys one tee taken now, one picked up later and a cap shipped,
    spending the coupon and 300 points; paid."""
    open_store(api)
    sandbox = pay_offline(api)
    member = register(api)
    api.post(f"{MEMBERS}/{member['id']}/points", {"delta": 500, "reason": "welcome"}, status=200)
    give_coupon(api, member["id"])
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"},
                                      {"sku": "TEE-RED-M", "quantity": 1, "mode": "pickup"},
                                      {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}],
                            "buyer": BUYER, "ship_to": SHIP_TO, "member_id": member["id"], "coupon": "TWENTY",
                            "points": 300})
    assert sale["total"] == 9900 * 2 + 4900 - 2000 - 300
    assert notify(api, sandbox, sale["id"]).status_code == 204
    seen = api.get(f"{MEMBERS}/{member['id']}")
    assert sum(o["total"] for o in seen["orders"]) == sale["total"]
    assert seen["points"] == 500 - 300 + sum(o["total"] // 100 for o in seen["orders"])  # earned per order
    return sandbox, member, sale


def stock(api: Api) -> tuple[tuple[int, int], tuple[int, int]]:
    tee = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    cap = level(api.hub, api.tenant.admin, "CAP-BLK", "WH-CENTRAL")
    return (tee["on_hand"], tee["reserved"]), (cap["on_hand"], cap["reserved"])


def test_a_whole_sale_refunded_puts_everything_back(api: Api) -> None:
    sandbox, member, sale = paid_sale(api)
    assert stock(api) == ((1, 1), (3, 1))  # one tee handed over, one put aside; the cap held at the warehouse

    refund = api.post(f"{SALES}/{sale['id']}/refunds", {"reason": "changed my mind"})
    assert (refund["amount"], refund["points"], refund["coupon"]) == (sale["total"], 300, "TWENTY")
    assert refund["state"] == "processing" and refund["refund_id"]
    api.hub.relay.run_once()
    assert stock(api) == ((2, 0), (3, 0))  # the tee back on the shelf, the put-aside and the cap let go
    seen = api.get(f"{MEMBERS}/{member['id']}")
    assert seen["points"] == 500 and [c["state"] for c in seen["coupons"]] == ["issued"]
    assert {o["payment_state"] for o in seen["orders"]} == {"refunded"}
    kinds = sorted(e["kind"] for e in seen["points_history"])
    assert kinds == sorted(["adjust", "spend", "earn", "earn", "earn", "refund_spent", "refund_spent",
                            "refund_spent", "reverse", "reverse", "reverse"])
    refunded = api.get(f"{SALES}/{sale['id']}")
    assert refunded["state"] == "refunded" and {o["state"] for o in refunded["orders"]} == {"refunded"}

    url, headers, body = sandbox.refund_done(refund["out_refund_no"])
    before = fingerprint(api.hub.engine)
    assert_error(told(api, url, headers, body, spoil=True), 401, "payments.bad_signature")
    assert fingerprint(api.hub.engine) == before
    assert told(api, url, headers, body).status_code == 204
    assert told(api, url, headers, body).status_code == 204  # told again: kept once
    (done,) = api.get(f"{SALES}/{sale['id']}")["refunds"]
    assert done["state"] == "succeeded"

    before = fingerprint(api.hub.engine)
    again = api.client.post(f"{SALES}/{sale['id']}/refunds", json={}, headers=api.headers())
    assert_error(again, 409, "stores.not_refundable")
    assert fingerprint(api.hub.engine) == before


def test_orders_refunded_one_by_one_add_up_to_the_sale(api: Api) -> None:
    sandbox, member, sale = paid_sale(api)
    ways = {o["mode"]: o["order_id"] for o in sale["orders"]}
    first = api.post(f"{SALES}/{sale['id']}/refunds", {"orders": [ways["take"]], "reason": "wrong size"})
    assert first["coupon"] is None
    assert stock(api)[0] == (2, 1)  # the tee brought back at the counter; the other still put aside
    assert [c["state"] for c in api.get(f"{MEMBERS}/{member['id']}")["coupons"]] == ["used"]
    rest = api.post(f"{SALES}/{sale['id']}/refunds", {"orders": [ways["pickup"], ways["ship"]]})
    assert first["amount"] + rest["amount"] == sale["total"] and first["points"] + rest["points"] == 300
    assert rest["coupon"] == "TWENTY"
    api.hub.relay.run_once()
    assert stock(api) == ((2, 0), (3, 0))
    assert api.get(f"{MEMBERS}/{member['id']}")["points"] == 500
    assert sandbox.trades[sale["id"].replace("-", "")].refunded == sale["total"]


def test_an_unpaid_sale_has_nothing_to_refund(api: Api) -> None:
    open_store(api)
    pay_offline(api)
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "pickup"}], "buyer": BUYER})
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    refused = api.client.post(f"{SALES}/{sale['id']}/refunds", json={}, headers=api.headers())
    assert_error(refused, 409, "stores.not_refundable")
    viewer = api.client.post(f"{SALES}/{sale['id']}/refunds", json={}, headers=api.headers("viewer"))
    assert viewer.status_code == 403
    assert fingerprint(api.hub.engine) == before
