"""Store sales under the brand's cleaning rules: a line taken now and one picked up later are collected at the store
and carry its address (no district, no street), so the address rule holds neither; a line shipped to a buyer's
address without its district is held, as any parcel's would be. The same goes for any channel's pick-up order."""

from flexhub.testing.api_client import ORDERS, Api
from flexhub.testing.builders import order_body
from flexhub.testing.stores import STORE, notify, open_store, pay_offline

SALES = f"/api/v1/stores/{STORE}/sales"
RULES = "/api/v1/cleaning/rules"
NO_DISTRICT = {"country": "CN", "province": "上海市", "city": "上海市", "line1": "南京西路 1 号"}


def address_rule(api: Api) -> None:
    answer = api.client.put(RULES, headers=api.headers(), json={"rules": [
        {"name": "address", "kind": "address", "action": "hold"},
        {"name": "one-address", "kind": "velocity", "params": {"max_orders": 1, "by": ["address"]}}]})
    assert answer.status_code == 200, answer.text


def test_a_store_sale_taken_and_picked_up_is_not_held_for_its_address(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    address_rule(api)
    sale = api.post(SALES, {"lines": [{"sku": "TEE-RED-M", "quantity": 1, "mode": "take"},
                                      {"sku": "TEE-RED-M", "quantity": 1, "mode": "pickup"},
                                      {"sku": "CAP-BLK", "quantity": 1, "mode": "ship"}],
                            "buyer": {"name": "王小明", "phone": "13800138000"}, "ship_to": NO_DISTRICT})
    assert notify(api, sandbox, sale["id"]).status_code == 204
    ways = {o["mode"]: o for o in api.get(f"{SALES}/{sale['id']}")["orders"]}
    assert (ways["take"]["state"], ways["pickup"]["state"], ways["ship"]["state"]) == (
        "collected", "awaiting_pickup", "on_hold")
    holds = {h["order_id"]: h for h in api.get("/api/v1/cleaning/holds")["holds"]}
    assert set(holds) == {ways["ship"]["order_id"]}
    assert [f["code"] for f in holds[ways["ship"]["order_id"]]["findings"]] == ["address.missing_district"]


def test_any_channels_pick_up_order_is_taken_without_a_parcels_address(api: Api) -> None:
    open_store(api)
    address_rule(api)
    at_store = {"country": "CN", "province": "上海市", "city": "上海市", "pickup_location": STORE}
    first = api.post(ORDERS, order_body("P-1", shipping_address=at_store, lines=[
        {"sku": "TEE-RED-M", "quantity": 1, "unit_price": 9900}]))
    second = api.post(ORDERS, order_body("P-2", shipping_address=at_store, buyer={"name": "李雷"}, lines=[
        {"sku": "TEE-RED-M", "quantity": 1, "unit_price": 9900}]))  # the same store: no velocity by address
    shipped = api.post(ORDERS, order_body("S-1", shipping_address=NO_DISTRICT))
    assert (first["status"], second["status"], shipped["status"]) == ("reserved", "reserved", "on_hold")
    assert api.get(f"{ORDERS}/{first['id']}")["shipping_address"] == at_store
