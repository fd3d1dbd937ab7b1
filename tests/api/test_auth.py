"""Who may do what: keys, roles, tenants and partners. Every denial leaves everything as it was."""

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, CHANNELS, LEVELS, ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot


@pytest.mark.parametrize("authorization", [None, "Bearer fhk_nope_nope", "Bearer garbage", "Basic dXNlcjpwdw=="])
def test_without_a_valid_key_it_is_401_and_changes_nothing(shop: Api, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    before = snapshot(shop.hub)

    write = shop.client.post(ORDERS, json=order_body(), headers=headers)
    read = shop.client.get(LEVELS, params={"sku": "TEE-RED-M"}, headers=headers)

    assert_error(write, 401, "auth.invalid_key")
    assert_error(read, 401, "auth.invalid_key")
    assert snapshot(shop.hub) == before


@pytest.mark.parametrize(("path", "body"), [
    (ORDERS, order_body()),
    (SKUS, {"code": "CAP-BLK", "name": "Cap"}),
    (ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 1, "reason": "found"}),
    (CHANNELS, {"code": "shop", "platform": "generic"}),
])
def test_a_viewer_writing_is_403_and_changes_nothing(shop: Api, path: str, body: dict) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(path, json=body, headers=shop.headers("viewer"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(shop.hub) == before


def test_a_viewer_cannot_cancel(shop: Api) -> None:
    order = shop.post(ORDERS, order_body())
    before = snapshot(shop.hub)

    response = shop.client.post(f"{ORDERS}/{order['id']}/cancel", json={}, headers=shop.headers("viewer"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(shop.hub) == before
    assert shop.get(f"{ORDERS}/{order['id']}")["status"] == "reserved"


def test_another_tenant_cannot_see_or_cancel_this_tenants_orders(shop: Api) -> None:
    order = shop.post(ORDERS, order_body())
    other = shop.add_tenant("other")
    before = snapshot(shop.hub)

    read = shop.client.get(f"{ORDERS}/{order['id']}", headers=other.headers())
    found = shop.client.get(ORDERS, params={"channel": "web", "external_id": "A-1001"}, headers=other.headers())
    cancel = shop.client.post(f"{ORDERS}/{order['id']}/cancel", json={}, headers=other.headers())

    assert_error(read, 404, "ordering.unknown_order")
    assert found.status_code == 200 and found.json()["orders"] == [] and found.json()["total"] == 0
    assert_error(cancel, 404, "ordering.unknown_order")
    assert snapshot(shop.hub) == before
    assert shop.get(f"{ORDERS}/{order['id']}")["status"] == "reserved"


def test_another_tenant_cannot_see_this_tenants_skus_or_stock(shop: Api) -> None:
    other = shop.add_tenant("other")

    sku = shop.client.get(f"{SKUS}/TEE-RED-M", headers=other.headers("viewer"))
    levels = shop.client.get(LEVELS, params={"sku": "TEE-RED-M"}, headers=other.headers("viewer"))

    assert_error(sku, 404, "catalog.unknown_sku")
    assert_error(levels, 404, "catalog.unknown_sku")


def test_another_tenant_may_use_the_same_codes(shop: Api) -> None:
    other = shop.add_tenant("other")

    response = shop.client.post(SKUS, json={"code": "TEE-RED-M", "name": "Their tee"}, headers=other.headers())

    assert response.status_code == 201, response.text
    assert shop.get(f"{SKUS}/TEE-RED-M")["name"] == "Tee, red, M"


@pytest.fixture
def resold(shop: Api) -> Api:
    """The shop also sells through `resale`, a channel of its partner reseller-1."""
    shop.post(CHANNELS, {"code": "resale", "platform": "generic", "partner": shop.tenant.partner})
    return shop


def test_a_partner_imports_into_its_own_channel_and_reads_that_order(resold: Api) -> None:
    created = resold.post(ORDERS, order_body(channel="resale", external_id="R-1"), role="partner")

    assert created["status"] == "reserved" and created["channel"] == "resale"
    assert resold.get(f"{ORDERS}/{created['id']}", role="partner") == created
    found = resold.get(ORDERS, role="partner", channel="resale", external_id="R-1")
    assert [order["id"] for order in found["orders"]] == [created["id"]]


def test_a_partner_cannot_import_into_another_channel(resold: Api) -> None:
    before = snapshot(resold.hub)

    response = resold.client.post(ORDERS, json=order_body(channel="web"), headers=resold.headers("partner"))

    assert_error(response, 403, "ordering.channel_forbidden")
    assert snapshot(resold.hub) == before


def test_a_partner_sees_and_cancels_only_orders_of_its_own_channels(resold: Api) -> None:
    order = resold.post(ORDERS, order_body(channel="web"))
    before = snapshot(resold.hub)

    read = resold.client.get(f"{ORDERS}/{order['id']}", headers=resold.headers("partner"))
    found = resold.client.get(ORDERS, params={"channel": "web", "external_id": "A-1001"},
                              headers=resold.headers("partner"))
    cancel = resold.client.post(f"{ORDERS}/{order['id']}/cancel", json={}, headers=resold.headers("partner"))

    assert_error(read, 404, "ordering.unknown_order")
    assert found.json()["orders"] == [] and found.json()["total"] == 0
    assert_error(cancel, 404, "ordering.unknown_order")
    assert snapshot(resold.hub) == before


def test_a_partner_cancels_its_own_order(resold: Api) -> None:
    created = resold.post(ORDERS, order_body(channel="resale", external_id="R-1"), role="partner")

    cancelled = resold.post(f"{ORDERS}/{created['id']}/cancel", {}, role="partner", status=200)

    assert cancelled["status"] == "cancelled"
    assert resold.levels()[0]["reserved"] == 0


def test_a_partner_sees_only_the_pools_its_channels_sell_from(resold: Api) -> None:
    resold.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "presale",
                              "quantity_delta": 4, "reason": "presale allotment"})

    assert {lv["pool"] for lv in resold.levels()} == {"spot", "presale"}
    assert {lv["pool"] for lv in resold.levels(role="partner")} == {"spot"}


def test_a_partner_key_may_not_write_the_catalog_or_stock(resold: Api) -> None:
    before = snapshot(resold.hub)

    sku = resold.client.post(SKUS, json={"code": "CAP-BLK", "name": "Cap"}, headers=resold.headers("partner"))
    stock = resold.client.post(ADJUSTMENTS, json={"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 9,
                                                  "reason": "mine"}, headers=resold.headers("partner"))

    assert_error(sku, 403, "auth.forbidden")
    assert_error(stock, 403, "auth.forbidden")
    assert snapshot(resold.hub) == before
