"""A store sale awaiting WeChat Pay is not routed, picked or shipped: the routing job passes its orders by, routing
or shipping one by hand is refused with nothing written, and a notification with a bad signature changes nothing;
the signed notification routes the shipped line to the central warehouse."""

from flexhub.routing import RouteReservedOrders
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.stores import STORE, notify, open_store, pay_offline

SALES = f"/api/v1/stores/{STORE}/sales"
SHIP_TO = {"country": "CN", "province": "上海市", "city": "上海市", "district": "静安区", "line1": "南京西路 1 号"}


def test_an_order_awaiting_wechat_pay_is_routed_only_once_the_signed_notice_comes(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    sale = api.post(SALES, {"lines": [{"sku": "CAP-BLK", "quantity": 1, "mode": "ship"},
                                      {"sku": "TEE-RED-M", "quantity": 1, "mode": "pickup"}],
                            "buyer": {"name": "王小明", "phone": "13800138000"}, "ship_to": SHIP_TO})
    orders = {o["mode"]: o["order_id"] for o in sale["orders"]}
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)

    assert api.hub.handle(RouteReservedOrders()) == 0  # the routing job passes them by
    for order_id in orders.values():
        assert_error(api.client.post(f"{ORDERS}/{order_id}/route", headers=api.headers()), 409,
                     "routing.awaiting_payment")
        assert_error(api.client.post(f"{ORDERS}/{order_id}/shipments", json={}, headers=api.headers()), 409,
                     "fulfillment.not_shippable")
    assert_error(notify(api, sandbox, sale["id"], spoil=True), 401, "payments.bad_signature")
    assert fingerprint(api.hub.engine) == before
    assert {api.get(f"{ORDERS}/{o}")["status"] for o in orders.values()} == {"reserved"}

    assert notify(api, sandbox, sale["id"]).status_code == 204
    assert api.get(f"{ORDERS}/{orders['ship']}")["status"] == "routed"
    assert api.get(f"{ORDERS}/{orders['ship']}/routing")["nodes"] == ["WH-CENTRAL"]
    assert api.get(f"{SALES}/{sale['id']}")["state"] == "paid"
