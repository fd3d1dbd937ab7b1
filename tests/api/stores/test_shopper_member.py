"""A member spends points and a coupon on the phone page: their card (a link the hub tags for them, shown by the
staff as a QR code) kept on their phone, the cart offers their coupons with what each takes off and the points they
may spend; the checkout takes them off the one payment, paid through WeChat Pay. A coupon used once, more points
than held, or a card not made by this hub: refused with nothing written; a refund gives everything back exactly."""

from urllib.parse import parse_qs, urlsplit

from flexhub.stores import member_cards
from flexhub.testing.api_client import Api
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.stores import MEMBERS, STORE, give_coupon, notify, open_store, pay_offline, register, shelf

SALES = f"/api/v1/stores/{STORE}/sales"


def scan(api: Api, sku: str = "TEE-RED-M", mode: str = "pickup") -> tuple[str, str]:
    """The store's shopper path and a cart holding one `sku` to `mode`."""
    url = urlsplit(api.get(shelf(STORE, sku))["url"])
    store = url.path.rsplit("/", 1)[0]
    added = api.client.post(f"{store}/cart/items", follow_redirects=False, data={
        "sku": sku, "k": parse_qs(url.query)["k"][0], "mode": mode, "c": ""})
    return store, parse_qs(urlsplit(added.headers["location"]).query)["c"][0]


def check_out(api: Api, store: str, cart: str, **fields: str) -> object:
    return api.client.post(f"{store}/cart/checkout", follow_redirects=False,
                           data={"c": cart, "name": "王小明", "phone": "13800138000", **fields})


def member_with_card(api: Api) -> dict:
    """王小明 with 500 points and the coupon TWENTY (20.00 off from 50.00), their card opened on the phone."""
    member = register(api)
    api.post(f"{MEMBERS}/{member['id']}/points", {"delta": 500, "reason": "welcome"}, status=200)
    give_coupon(api, member["id"], threshold=5000)
    card = api.client.get(member_cards.card_path(api.hub.vault, api.tenant.admin.tenant_id, member["id"]))
    assert card.status_code == 200 and 'data-figure="points">500<' in card.text and 'data-coupon="TWENTY"' in card.text
    return member


def test_a_member_spends_points_and_a_coupon_at_checkout_and_a_refund_gives_them_back(api: Api) -> None:
    open_store(api)
    sandbox = pay_offline(api)
    member = member_with_card(api)
    store, cart = scan(api)
    page = api.client.get(f"{store}/cart/items", params={"c": cart}).text
    assert f'data-member="{member["id"]}"' in page and 'value="TWENTY" data-off="2000"' in page
    assert 'max="500"' in page  # the points a 99.00 cart may take: all 500

    done = check_out(api, store, cart, coupon="TWENTY", points="300")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    (sale,) = api.get(SALES)
    assert (sale["subtotal"], sale["discount"], sale["points_spent"], sale["total"]) == (9900, 2000, 300, 7600)
    assert api.get(f"{MEMBERS}/{member['id']}")["points"] == 200  # spent at checkout
    assert notify(api, sandbox, sale["id"]).status_code == 204
    paid = api.get(f"{MEMBERS}/{member['id']}")
    assert paid["points"] == 200 + 76 and [c["state"] for c in paid["coupons"]] == ["used"]

    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    store, cart = scan(api, mode="take")
    again = check_out(api, store, cart, coupon="TWENTY")
    assert again.status_code == 409 and 'data-code="members.coupon_used"' in again.text  # type: ignore[attr-defined]
    too_many = check_out(api, store, cart, points="277")
    assert too_many.status_code == 409  # type: ignore[attr-defined]
    assert 'data-code="members.insufficient_points"' in too_many.text  # type: ignore[attr-defined]
    assert fingerprint(api.hub.engine) == before

    refund = api.post(f"{SALES}/{sale['id']}/refunds", {"reason": "changed my mind"})
    assert (refund["amount"], refund["points"], refund["coupon"]) == (7600, 300, "TWENTY")
    back = api.get(f"{MEMBERS}/{member['id']}")
    assert back["points"] == 500 and [c["state"] for c in back["coupons"]] == ["issued"]


def test_a_card_not_made_by_this_hub_names_nobody(api: Api) -> None:
    open_store(api)
    pay_offline(api)
    member = register(api)
    api.post(f"{MEMBERS}/{member['id']}/points", {"delta": 500, "reason": "welcome"}, status=200)
    tenant = api.tenant.admin.tenant_id
    forged = f"/s/{tenant}/members/{member['id']}/card?m={'0' * 24}"
    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    assert api.client.get(forged).status_code == 404
    api.client.cookies.set(member_cards.COOKIE, f"{member['id']}.{'0' * 24}", path=f"/s/{tenant}")
    store, cart = scan(api)
    assert 'data-member=' not in api.client.get(f"{store}/cart/items", params={"c": cart}).text
    refused = check_out(api, store, cart, points="100")
    assert refused.status_code == 422 and 'data-code="stores.invalid_sale"' in refused.text  # type: ignore[attr-defined]
    assert fingerprint(api.hub.engine) == before
