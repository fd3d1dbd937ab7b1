"""Refunding a store sale paid through Alipay, through the sandbox Alipay: `alipay.trade.refund` signed RSA2 under
the refund's own number (out_request_no), its signed answer final — the stock back, the orders refunded. An answer
lost on the way is asked again under the same number, and Alipay refunds it once; a refund Alipay refuses lets the
orders go untouched. Alipay's account bill of the sale (one trade for its orders) with the refund then reconciles
in finance with nothing left over; the same bill for a sale the hub never refunded shows the refund it does not
know."""

from datetime import timedelta
from typing import Any

from tests.api.stores.test_sales_alipay import SHIP_TO, alipay_offline, told

from flexhub.demo.statements import REFUND, SALE, Entry, alipay_bill
from flexhub.finance.rules import REFUND_NOT_IN_HUB
from flexhub.kernel import clock
from flexhub.sandbox.alipay import SandboxAlipay
from flexhub.stores.payments import alipay
from flexhub.stores.sales import store_channel
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.snapshots import level, snapshot
from flexhub.testing.stores import STORE, open_store, refund

SALES = f"/api/v1/stores/{STORE}/sales"
LINES = [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"}, {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}]


def paid_sale(api: Api) -> tuple[SandboxAlipay, dict[str, Any], dict[str, str]]:
    """A tee taken now and a cap shipped, paid through the sandbox Alipay: the sandbox, the sale, its orders."""
    open_store(api)
    sandbox = alipay_offline(api)
    sale = api.post(SALES, {"lines": LINES, "ship_to": SHIP_TO, "pay_with": "alipay",
                            "buyer": {"name": "王小明", "phone": "13800138000"}})
    assert told(api, *sandbox.pay(sale["id"].replace("-", ""))).text == "success"
    return sandbox, sale, {o["mode"]: o["order_id"] for o in sale["orders"]}


def stock(api: Api) -> tuple[tuple[int, int], tuple[int, int]]:
    tee = level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)
    cap = level(api.hub, api.tenant.admin, "CAP-BLK", "WH-CENTRAL")
    return (tee["on_hand"], tee["reserved"]), (cap["on_hand"], cap["reserved"])


def test_a_sale_paid_through_alipay_is_refunded_through_alipay(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    assert stock(api) == ((1, 0), (3, 1))  # the tee handed over, the cap held at the warehouse

    answer = refund(api, sale)

    assert answer.status_code == 201, answer.text
    done = answer.json()
    trade = sandbox.trades[sale["id"].replace("-", "")]
    assert trade.refunds == {done["out_refund_no"]: sale["total"]}  # asked under the refund's number, signed
    assert (done["state"], done["refund_id"], done["amount"]) == ("succeeded", trade.trade_no, sale["total"])
    assert stock(api) == ((2, 0), (3, 0))  # the tee back on the shelf, the cap let go
    assert {api.get(f"{ORDERS}/{o}")["payment_state"] for o in orders.values()} == {"refunded"}
    seen = api.get(f"{SALES}/{sale['id']}")
    assert seen["state"] == "refunded" and [r["state"] for r in seen["refunds"]] == ["succeeded"]
    before = snapshot(api.hub)
    assert_error(refund(api, sale), 409, "stores.not_refundable")
    assert snapshot(api.hub) == before and len(trade.refunds) == 1


def test_an_answer_lost_is_asked_again_under_the_same_number_and_refunded_once(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    trade = sandbox.trades[sale["id"].replace("-", "")]
    sandbox.lose_answers = 1
    before = stock(api)

    lost = refund(api, sale, [orders["ship"]])

    assert_error(lost, 502, "payments.refund_unanswered")
    (number,) = trade.refunds  # Alipay did refund it; the hub could not know
    assert stock(api) == before and api.get(f"{ORDERS}/{orders['ship']}")["payment_state"] == "paid"
    (waiting,) = api.get(f"{SALES}/{sale['id']}")["refunds"]
    assert (waiting["out_refund_no"], waiting["state"]) == (number, "unanswered")
    unchanged = snapshot(api.hub)
    assert_error(refund(api, sale), 409, "stores.not_refundable")  # not under another number, nor for more orders
    assert snapshot(api.hub) == unchanged and list(trade.refunds) == [number]

    again = refund(api, sale, [orders["ship"]])

    assert again.status_code == 201, again.text
    assert again.json()["out_refund_no"] == number and again.json()["state"] == "succeeded"
    assert sandbox.calls.count(alipay.REFUND) == 1 and sandbox.calls[-1] == alipay.REFUND_QUERY  # found, not resent
    ship_total = api.get(f"{ORDERS}/{orders['ship']}")["total"]
    assert trade.refunds == {number: ship_total} and trade.refunded() == ship_total  # once
    assert stock(api) == (before[0], (3, 0)) and api.get(f"{ORDERS}/{orders['ship']}")["payment_state"] == "refunded"
    assert api.get(f"{ORDERS}/{orders['take']}")["payment_state"] == "paid"


def test_a_request_lost_is_looked_up_then_sent_again_under_the_same_number(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    trade = sandbox.trades[sale["id"].replace("-", "")]
    sandbox.lose_requests = 1

    assert_error(refund(api, sale, [orders["ship"]]), 502, "payments.refund_unanswered")
    (waiting,) = api.get(f"{SALES}/{sale['id']}")["refunds"]
    assert waiting["state"] == "unanswered" and trade.refunds == {}  # it never reached Alipay

    again = refund(api, sale, [orders["ship"]])

    assert again.status_code == 201, again.text
    assert again.json()["out_refund_no"] == waiting["out_refund_no"]
    assert sandbox.calls[-2:] == [alipay.REFUND_QUERY, alipay.REFUND]  # not made: sent again, same number
    assert trade.refunds == {waiting["out_refund_no"]: api.get(f"{ORDERS}/{orders['ship']}")["total"]}
    assert api.get(f"{ORDERS}/{orders['ship']}")["payment_state"] == "refunded"


def test_a_refund_alipay_refuses_leaves_the_orders_as_they_were(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    trade = sandbox.trades[sale["id"].replace("-", "")]
    trade.refunds["in-the-portal"] = sale["total"]  # refunded whole in Alipay's merchant portal meanwhile
    before = (stock(api), [api.get(f"{ORDERS}/{o}") for o in orders.values()])

    refused = refund(api, sale, [orders["take"]])

    assert_error(refused, 502, "payments.gateway_failed")
    assert "ACQ.REASON_TRADE_REFUND_FEE_ERR" in refused.json()["error"]["message"]
    assert (stock(api), [api.get(f"{ORDERS}/{o}") for o in orders.values()]) == before
    assert [r["state"] for r in api.get(f"{SALES}/{sale['id']}")["refunds"]] == ["failed"]
    assert list(trade.refunds) == ["in-the-portal"]


def test_the_refund_reconciles_with_alipays_bill(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    assert refund(api, sale, [orders["ship"]]).status_code == 201
    ship_total = api.get(f"{ORDERS}/{orders['ship']}")["total"]
    number, at = sale["id"].replace("-", ""), clock.now()
    bill = alipay_bill([Entry(SALE, number, sale["total"], 0, at, 1),
                        Entry(REFUND, number, ship_total, 0, at + timedelta(minutes=30), 2)])
    channel = store_channel(STORE)

    api.post("/api/v1/finance/statements", {"channel": channel, "format": "alipay_bill", "content": bill})
    seen = api.get("/api/v1/finance/reconciliation", channel=channel)

    assert (seen["lines"], seen["matched"], seen["differences"]) == (2, 2, [])  # one trade, the sale's orders
    other, _, _ = paid_sale_again(api, sandbox)
    unknown = alipay_bill([Entry(SALE, other, 14800, 0, at, 3),
                           Entry(REFUND, other, 4900, 0, at + timedelta(minutes=30), 4)])
    api.post("/api/v1/finance/statements", {"channel": channel, "format": "alipay_bill", "content": unknown})
    found = api.get("/api/v1/finance/reconciliation", channel=channel)["differences"]
    assert [(d["kind"], d["external_id"], d["actual"]) for d in found] == [(REFUND_NOT_IN_HUB, other, 4900)]


def paid_sale_again(api: Api, sandbox: SandboxAlipay) -> tuple[str, dict[str, Any], dict[str, str]]:
    """A second sale like the first, paid and never refunded: its number, the sale, its orders."""
    sale = api.post(SALES, {"lines": LINES, "ship_to": SHIP_TO, "pay_with": "alipay",
                            "buyer": {"name": "王小明", "phone": "13800138000"}})
    assert told(api, *sandbox.pay(sale["id"].replace("-", ""))).text == "success"
    return sale["id"].replace("-", ""), sale, {o["mode"]: o["order_id"] for o in sale["orders"]}
