"""Held orders on the exceptions page: each finding shown with its code, and released, corrected or cancelled from
the page by a role that may; a viewer is shown no action and its post is refused with nothing changed."""

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

RULES = "/api/v1/cleaning/rules"


def _sign_in(api: Api, role: str) -> None:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def _held(shop: Api) -> dict:
    shop.client.put(RULES, json={"rules": [{"name": "address", "kind": "address"}]},
                    headers=shop.headers()).raise_for_status()
    return shop.post(ORDERS, order_body("DIRTY-1", shipping_address={"country": "CN", "province": "浙江",
                                                                      "city": "杭州", "district": "西湖区",
                                                                      "line1": "文三路 90 号", "postal_code": "1"}))


def test_a_held_order_shows_its_findings_and_is_corrected_and_released_from_the_page(shop: Api) -> None:
    held = _held(shop)
    _sign_in(shop, "operator")

    page = shop.client.get("/exceptions").text

    assert 'data-order="DIRTY-1"' in page and 'data-code="address.bad_postal_code"' in page
    assert f'action="/orders/{held["id"]}/release"' in page
    fixed = shop.client.post(f"/orders/{held['id']}/address", follow_redirects=False, data={
        "country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区", "line1": "文三路 90 号",
        "postal_code": "310012"})
    assert fixed.status_code == 303, fixed.text
    released = shop.client.post(f"/orders/{held['id']}/release", follow_redirects=False)
    assert released.status_code == 303
    order = shop.get(f"{ORDERS}/{held['id']}")
    assert order["status"] == "reserved" and order["shipping_address"]["postal_code"] == "310012"
    assert 'data-order="DIRTY-1"' not in shop.client.get("/exceptions").text


def test_a_wrong_address_from_the_page_is_refused_with_its_code(shop: Api) -> None:
    held = _held(shop)
    _sign_in(shop, "operator")
    before = snapshot(shop.hub)

    answer = shop.client.post(f"/orders/{held['id']}/address", data={"country": "CN", "province": "火星"})

    assert_error(answer, 422, "cleaning.address_refused")
    assert snapshot(shop.hub) == before


def test_a_viewer_sees_no_action_and_its_release_is_refused(shop: Api) -> None:
    held = _held(shop)
    _sign_in(shop, "viewer")
    before = snapshot(shop.hub)

    assert 'data-action="release"' not in shop.client.get("/exceptions").text
    assert_error(shop.client.post(f"/orders/{held['id']}/release"), 403, "auth.forbidden")
    assert snapshot(shop.hub) == before
