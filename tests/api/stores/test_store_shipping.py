"""Ship-from-store tasks: an online order routing sends to ship from the store (the only node holding its SKU) waits
on the staff's phone page beside the pick-ups; the staff types the waybill and the parcel is made, picked, packed and
handed over in one step (the units leave the store, the order is shipped). An order that is not the store's task, a
viewer, or no waybill: refused with nothing changed."""

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import line, order_body
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import level
from flexhub.testing.stores import STORE, open_store, receive

TASKS = f"/api/v1/stores/{STORE}/shipping"


def routed_to_the_store(api: Api) -> dict:
    open_store(api)
    api.post("/api/v1/catalog/skus", {"code": "SCARF", "name": "Scarf"})
    receive(api, "SCARF", STORE, 3)
    answer = api.client.post(ORDERS, headers=api.headers(), json=order_body(
        "W-7", lines=[line("SCARF", 2, 12900)],
        shipping_address={"country": "CN", "province": "北京市", "city": "北京市", "line1": "长安街 1 号"}))
    assert answer.status_code in (200, 201), answer.text
    order = answer.json()
    routed = api.post(f"/api/v1/orders/{order['id']}/route", {}, status=200)
    assert routed["nodes"] == [STORE]
    return order


def sign_in(api: Api, role: str = "operator") -> None:
    api.client.cookies.clear()
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303


def test_a_parcel_routed_to_the_store_is_shipped_from_the_staff_page(api: Api) -> None:
    order = routed_to_the_store(api)
    (task,) = api.get(TASKS)
    assert (task["order_id"], task["lines"], task["city"]) == (order["id"], [{"sku": "SCARF", "quantity": 2}], "北京市")
    sign_in(api)
    page = api.client.get(f"/store/{STORE}").text
    assert 'data-figure="to_ship">1<' in page and f'data-task="{order["id"]}"' in page

    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    blank = api.client.post(f"/store/{STORE}/ship", data={"order_id": order["id"], "waybill_number": " "})
    assert blank.status_code == 409 and 'data-code="stores.not_a_task"' in blank.text
    assert fingerprint(api.hub.engine) == before

    done = api.client.post(f"/store/{STORE}/ship", data={"order_id": order["id"], "waybill_number": "SF100200300"},
                           follow_redirects=False)
    assert done.status_code == 303
    page = api.client.get(done.headers["location"]).text
    assert f'data-shipped="{order["id"]}"' in page and 'data-figure="to_ship">0<' in page
    store = level(api.hub, api.tenant.admin, "SCARF", STORE)
    assert (store["on_hand"], store["reserved"]) == (1, 0)
    assert api.get(f"{ORDERS}/{order['id']}")["status"] == "shipped"
    assert api.get(TASKS) == []


def test_what_is_not_the_stores_task_is_refused(api: Api) -> None:
    order = routed_to_the_store(api)
    other = api.client.post(ORDERS, headers=api.headers(), json=order_body("W-8", lines=[line("TEE-RED-M", 1, 9900)]))
    assert other.status_code in (200, 201)
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    not_ours = api.client.post(f"{TASKS}/{other.json()['id']}", json={"waybill_number": "SF1"},
                               headers=api.headers())
    assert_error(not_ours, 409, "stores.not_a_task")
    viewer = api.client.post(f"{TASKS}/{order['id']}", json={"waybill_number": "SF1"}, headers=api.headers("viewer"))
    assert viewer.status_code == 403
    assert fingerprint(api.hub.engine) == before
    shipped = api.post(f"{TASKS}/{order['id']}", {"waybill_number": "SF2"}, role="operator", status=200)
    assert shipped["order_status"] == "shipped"
