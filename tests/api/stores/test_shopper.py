"""The shopper's buy flow on the phone page, without signing in: lines added from genuine shelf links build one cart
(kept in a tagged token), one checkout for a line to pick up and a line to ship, the receipt waiting for WeChat Pay,
then paid with its pick-up code and the node the parcel leaves from. A forged shelf tag, a cart changed by hand, a
receipt link not given by the checkout, a cart that asks more than the store has: refused with nothing written."""

import uuid
from urllib.parse import parse_qs, urlsplit

from flexhub.testing.api_client import Api
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.stores import STORE, notify, open_store, pay_offline, shelf


def link(api: Api, sku: str) -> tuple[str, str]:
    """The shelf link's store path and tag."""
    url = urlsplit(api.get(shelf(STORE, sku))["url"])
    return url.path.rsplit("/", 1)[0], parse_qs(url.query)["k"][0]


def add(api: Api, sku: str, mode: str, cart: str = "", quantity: int = 1, tag: str | None = None) -> object:
    store, k = link(api, sku)
    return api.client.post(f"{store}/cart/items", data={"sku": sku, "k": tag or k, "mode": mode,
                                                         "quantity": str(quantity), "c": cart},
                           follow_redirects=False)


def cart_of(answer: object) -> str:
    return parse_qs(urlsplit(answer.headers["location"]).query)["c"][0]  # type: ignore[attr-defined]


def test_a_cart_checked_out_and_paid_on_the_phone_page(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    store, _ = link(api, "TEE-RED-M")
    cart = cart_of(add(api, "TEE-RED-M", "pickup"))
    cart = cart_of(add(api, "CAP-BLK", "ship", cart=cart))
    page = api.client.get(f"{store}/cart/items", params={"c": cart})
    assert page.status_code == 200 and 'data-amount="14800"' in page.text
    assert 'data-line="TEE-RED-M" data-mode="pickup"' in page.text and 'data-mode="ship"' in page.text

    done = api.client.post(f"{store}/cart/checkout", follow_redirects=False, data={
        "c": cart, "name": "李雷", "phone": "13900000001", "province": "上海市", "city": "上海市", "district": "静安区",
        "line1": "南京西路 1 号"})
    assert done.status_code == 303, done.text
    receipt = done.headers["location"]
    sale_id = urlsplit(receipt).path.rsplit("/", 1)[1]
    waiting = api.client.get(receipt).text
    assert 'data-state="pending"' in waiting and 'data-action="pay"' in waiting
    assert notify(api, sandbox, sale_id).status_code == 204
    paid = api.client.get(receipt).text
    assert 'data-state="paid"' in paid and 'data-ship-from="WH-CENTRAL"' in paid
    (sale,) = api.get(f"/api/v1/stores/{STORE}/sales")
    (pickup,) = [o for o in sale["orders"] if o["mode"] == "pickup"]
    assert f'data-pickup-code="{pickup["pickup_code"]}"' in paid
    assert sale["payment"]["h5_url"] and sale["total"] == 14800


def test_forged_links_and_carts_are_refused_with_nothing_written(api: Api) -> None:
    open_store(api, store_stock=1)
    pay_offline(api)
    store, _ = link(api, "TEE-RED-M")
    cart = cart_of(add(api, "TEE-RED-M", "take", quantity=2))
    other = api.add_tenant("globex")
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    assert add(api, "TEE-RED-M", "take", tag="0" * 24).status_code == 404  # type: ignore[attr-defined]
    body, _, tag = cart.partition(".")
    assert api.client.get(f"{store}/cart/items", params={"c": f"{body}x.{tag}"}).status_code == 404
    foreign = store.replace(str(api.tenant.admin.tenant_id), str(other.admin.tenant_id))
    assert api.client.get(f"{foreign}/cart/items", params={"c": cart}).status_code == 404
    forged = api.client.get(f"{store}/sales/{uuid.uuid4()}", params={"t": "0" * 24})
    assert forged.status_code == 404
    too_many = api.client.post(f"{store}/cart/checkout", data={"c": cart, "name": "李雷", "phone": "13900000001"})
    assert too_many.status_code == 409 and 'data-code="inventory.insufficient_stock"' in too_many.text
    assert fingerprint(api.hub.engine) == before
