"""Drop-ship lines held by a supplier reach its portal as tasks: a reseller's order of a SKU only the supplier's
node holds is routed there; the supplier sees the parcel (its lines, the buyer's address, the reseller as the
sender), acknowledges and ships it with its waybill; the reseller sees its order shipped. Another supplier sees
none of it and acting on it is 404 with nothing changed."""

import pytest

from flexhub.identity.commands import CreatePartner
from flexhub.testing.api_client import ADJUSTMENTS, LOCATIONS, ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.purchasing import PURCHASING, Supplier, add_supplier
from flexhub.testing.snapshots import snapshot

SOFA = "SOFA-OAK-3"


@pytest.fixture
def factory(shop: Api) -> tuple[Api, Supplier, Supplier]:
    """`shop` with a sofa only factory-1's own node holds, reseller-1's store `r1-shop` and a second supplier."""
    shop.post(SKUS, {"code": SOFA, "name": "Oak sofa, three seats"})
    mine, other = add_supplier(shop, "factory-1"), add_supplier(shop, "factory-2")
    shop.post(LOCATIONS, {"code": "SUP-FACTORY-1", "kind": "supplier", "partner": "factory-1"})
    shop.post(ADJUSTMENTS, {"sku": SOFA, "location": "SUP-FACTORY-1", "quantity_delta": 20, "reason": "made to sell"})
    shop.post("/api/v1/resellers/reseller-1/stores", {"code": "r1-shop", "platform": "generic"}, role="partner")
    shop.hub.handle(CreatePartner(actor=shop.tenant.admin, code="reseller-2", kind="reseller"))
    shop.client.put("/api/v1/resellers/reseller-1/brand", json={"name": "Lion City Living"},
                    headers=shop.headers("partner")).raise_for_status()
    return shop, mine, other


def test_a_drop_ship_line_is_the_suppliers_task_to_acknowledge_and_ship(factory) -> None:
    api, mine, other = factory
    order = api.post(ORDERS, order_body("LCL-1", channel="r1-shop", lines=[
        {"sku": SOFA, "quantity": 1, "unit_price": 399900}]), role="partner")
    routed = api.post(f"{ORDERS}/{order['id']}/route", {}, status=200)
    assert routed["plan"]["nodes"] == ["SUP-FACTORY-1"]
    shipment = api.post(f"{ORDERS}/{order['id']}/shipments", {"node": "SUP-FACTORY-1"})

    [task] = api.client.get(f"{PURCHASING}/dropship", headers=mine.headers()).json()["tasks"]
    assert (task["shipment_id"], task["order_number"], task["state"], task["sender"]) == (
        shipment["id"], "LCL-1", "new", "Lion City Living")
    assert task["lines"] == [{"sku": SOFA, "quantity": 1}] and task["ship_to"]["city"] == "杭州市"
    assert task["ship_to"]["phone"] == "13800000000"  # the supplier ships to the buyer: unmasked
    portal = api.client.get(f"{PURCHASING}/portal", headers=mine.headers()).json()
    assert [t["shipment_id"] for t in portal["dropship"]] == [shipment["id"]]
    slip = api.client.get(task["packing_slip"], headers=mine.headers())
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")

    assert api.client.get(f"{PURCHASING}/dropship", headers=other.headers()).json()["tasks"] == []
    before = snapshot(api.hub)
    for path in ("acknowledge", "ship"):
        response = api.client.post(f"{PURCHASING}/dropship/{shipment['id']}/{path}", headers=other.headers(),
                                   json={"waybill_number": "SF1"} if path == "ship" else None)
        assert_error(response, 404, "fulfillment.unknown_shipment")
    assert_error(api.client.get(task["packing_slip"], headers=other.headers()), 404, "fulfillment.unknown_shipment")
    assert_error(api.client.get(f"{PURCHASING}/dropship", headers=api.headers("partner")), 403,
                 "purchasing.not_a_supplier")
    assert snapshot(api.hub) == before

    acknowledged = api.client.post(f"{PURCHASING}/dropship/{shipment['id']}/acknowledge", headers=mine.headers())
    assert acknowledged.status_code == 200 and acknowledged.json()["state"] == "acknowledged"
    shipped = api.client.post(f"{PURCHASING}/dropship/{shipment['id']}/ship", headers=mine.headers(),
                              json={"waybill_number": "SF7000000001"})
    assert shipped.status_code == 200, shipped.text
    assert api.client.get(f"{PURCHASING}/dropship", headers=mine.headers()).json()["tasks"] == []
    seen = api.get(f"/api/v1/shipments/{shipment['id']}", role="partner")
    assert (seen["state"], seen["waybill_number"]) == ("shipped", "SF7000000001")
    assert api.get(f"{ORDERS}/{order['id']}", role="partner")["status"] == "shipped"
    assert [lv["on_hand"] for lv in api.levels(SOFA) if lv["location"] == "SUP-FACTORY-1"] == [19]
