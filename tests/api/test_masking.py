"""Buyers' personal data in the API answers is a rule of the role: a viewer reads orders masked (name, phone,
street), staff who ship read them whole; the region stays, since it says where stock must go."""

from flexhub.testing.api_client import ORDERS, Api
from flexhub.testing.builders import order_body

BUYER = {"name": "张三", "phone": "13800138000", "email": "zhang.san@example.cn"}


def _place(shop: Api) -> dict:
    return shop.post(ORDERS, order_body(buyer=BUYER))


def _masked(order: dict) -> None:
    assert order["buyer"] == {"name": "张*", "phone": "*******8000", "email": "z***@example.cn"}
    address = order["shipping_address"]
    assert (address["province"], address["city"], address["district"]) == ("浙江省", "杭州市", "西湖区")
    assert "文三路" not in address["line1"] and address["postal_code"] != "310000"


def test_a_viewer_reads_orders_masked_in_the_list_the_order_and_the_exceptions(shop: Api) -> None:
    placed = _place(shop)
    shop.post(ORDERS, order_body("A-1002", buyer=BUYER,
                                 lines=[{"sku": "TEE-RED-M", "quantity": 9, "unit_price": 9900}]))  # awaiting stock

    _masked(shop.get(ORDERS, role="viewer")["orders"][0])
    _masked(shop.get(f"{ORDERS}/{placed['id']}", role="viewer"))
    [waiting] = shop.get("/api/v1/exceptions", role="viewer")["orders"]
    _masked(waiting)


def test_staff_who_ship_read_the_buyer_whole(shop: Api) -> None:
    placed = _place(shop)

    for role in ("admin", "operator"):
        order = shop.get(f"{ORDERS}/{placed['id']}", role=role)
        assert order["buyer"] == BUYER and order["shipping_address"]["line1"] == "文三路 90 号"
