"""A WeChat Pay refund whose answer never came, through the sandbox WeChat Pay: the refund stays on the sale as
`unanswered` with its orders untouched (502 payments.refund_unanswered), and a refund of other orders or under
another number is refused with nothing changed. Asked again, it is looked up by its number first: WeChat Pay made
it (the answer was lost) — it is settled as WeChat Pay holds it and nothing is sent again; WeChat Pay never got it
(the request was lost) — it is sent again under the same number. Either way the buyer is refunded once."""

from typing import Any

import httpx2

from flexhub.sandbox.wechatpay import SandboxWechatPay
from flexhub.stores.payments import wechatpay
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.snapshots import level, snapshot
from flexhub.testing.stores import STORE, notify, open_store, pay_offline, refund

SALES = f"/api/v1/stores/{STORE}/sales"
SHIP_TO = {"country": "CN", "province": "上海市", "city": "上海市", "line1": "南京西路 1 号"}
LINES = [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"}, {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}]
POST, QUERY = f"POST {wechatpay.REFUNDS}", f"GET {wechatpay.REFUNDS}/"


def paid_sale(api: Api) -> tuple[SandboxWechatPay, dict[str, Any], dict[str, str]]:
    """A tee taken now and a cap shipped, paid through the sandbox WeChat Pay: the sandbox, the sale, its orders."""
    open_store(api)
    sandbox = pay_offline(api)
    sale = api.post(SALES, {"lines": LINES, "ship_to": SHIP_TO,
                            "buyer": {"name": "王小明", "phone": "13800138000", "openid": "oBuyer-1"}})
    assert notify(api, sandbox, sale["id"]).status_code == 204
    return sandbox, sale, {o["mode"]: o["order_id"] for o in sale["orders"]}


def cap_stock(api: Api) -> tuple[int, int]:
    cap = level(api.hub, api.tenant.admin, "CAP-BLK", "WH-CENTRAL")
    return cap["on_hand"], cap["reserved"]


def unanswered(api: Api, sandbox: SandboxWechatPay, sale: dict[str, Any], ship: str) -> str:
    """The ship order's refund asked and left without an answer: its number, after checking nothing moved."""
    trade = sandbox.trades[sale["id"].replace("-", "")]
    before = cap_stock(api)

    assert_error(refund(api, sale, [ship]), 502, "payments.refund_unanswered")

    (waiting,) = api.get(f"{SALES}/{sale['id']}")["refunds"]
    assert waiting["state"] == "unanswered" and waiting["orders"] == [ship]
    assert cap_stock(api) == before and api.get(f"{ORDERS}/{ship}")["payment_state"] == "paid"
    unchanged = snapshot(api.hub)
    assert_error(refund(api, sale), 409, "stores.not_refundable")  # not for more orders, nor under a new number
    assert snapshot(api.hub) == unchanged and trade.refunded in (0, api.get(f"{ORDERS}/{ship}")["total"])
    return str(waiting["out_refund_no"])


def test_an_answer_lost_is_looked_up_and_settled_without_sending_again(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    trade = sandbox.trades[sale["id"].replace("-", "")]
    sandbox.lose_answers = 1
    number = unanswered(api, sandbox, sale, orders["ship"])
    ship_total = api.get(f"{ORDERS}/{orders['ship']}")["total"]
    assert trade.refunded == ship_total and list(sandbox.refunds) == [number]  # WeChat Pay did refund it

    again = refund(api, sale, [orders["ship"]])

    assert again.status_code == 201, again.text
    assert (again.json()["out_refund_no"], again.json()["state"]) == (number, "processing")
    assert [c for c in sandbox.calls if c.startswith(POST)] == [POST]  # looked up, not sent again
    assert f"{QUERY}{number}" in sandbox.calls
    assert trade.refunded == ship_total  # once
    assert cap_stock(api) == (3, 0) and api.get(f"{ORDERS}/{orders['ship']}")["payment_state"] == "refunded"
    assert api.get(f"{ORDERS}/{orders['take']}")["payment_state"] == "paid"


def test_a_request_lost_is_sent_again_under_the_same_number(api: Api) -> None:
    sandbox, sale, orders = paid_sale(api)
    trade = sandbox.trades[sale["id"].replace("-", "")]
    sandbox.lose_requests = 1
    number = unanswered(api, sandbox, sale, orders["ship"])
    assert trade.refunded == 0 and sandbox.refunds == {}  # it never reached WeChat Pay

    again = refund(api, sale, [orders["ship"]])

    assert again.status_code == 201, again.text
    assert again.json()["out_refund_no"] == number
    assert sandbox.calls[-2:] == [f"{QUERY}{number}", POST]  # not found, then sent under the same number
    assert list(sandbox.refunds) == [number] and trade.refunded == api.get(f"{ORDERS}/{orders['ship']}")["total"]
    assert api.get(f"{ORDERS}/{orders['ship']}")["payment_state"] == "refunded"


def test_the_sandbox_refunds_once_per_number_and_finds_it_by_that_number(api: Api) -> None:
    sandbox, sale, _ = paid_sale(api)
    merchant = wechatpay.Merchant(**{k: v for k, v in sandbox.credentials().items()})
    number, trade = f"{sale['id'].replace('-', '')}R9", sandbox.trades[sale["id"].replace("-", "")]
    stamp = {"timestamp": 1, "nonce": "n"}
    ask = wechatpay.refund(merchant, out_trade_no=trade.out_trade_no, out_refund_no=number, amount=100,
                           total=trade.total, reason="test", notify_url="https://hub.invalid/n", **stamp)
    look = wechatpay.refund_query(merchant, out_refund_no=number, **stamp)

    def call(request: Any) -> httpx2.Response:
        return sandbox.handle(httpx2.Request(request.method, request.url, headers=request.headers,
                                             content=request.content or b""))

    assert (call(look).status_code, call(look).json()["code"]) == (404, wechatpay.NOT_FOUND)
    first, second = call(ask).json(), call(ask).json()
    assert first == second and trade.refunded == 100
    found = call(look)
    wechatpay.verify(merchant, dict(found.headers), found.text)
    assert (found.json()["out_refund_no"], found.json()["status"]) == (number, "PROCESSING")
    sandbox.refund_done(number)
    assert call(look).json()["status"] == "SUCCESS"
