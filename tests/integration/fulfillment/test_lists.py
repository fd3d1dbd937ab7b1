"""GET /api/v1/shipments and /api/v1/returns: every parcel and RMA of the brand a page at a time, with the total,
filters and sorts; a partner's key is refused them."""

from collections.abc import Iterator

import httpx2
import pytest

from flexhub.testing.api_client import ORDERS, Api, api_over
from flexhub.testing.builders import order_body
from flexhub.testing.fulfillment import ZTO_ACCOUNT, Network, stock_shop_over_api

SHIPMENTS, RETURNS = "/api/v1/shipments", "/api/v1/returns"


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.hub.http = httpx2.Client(transport=httpx2.MockTransport(Network()))
        api.hub.notifier.http = api.hub.waybills.http = api.hub.http
        stock_shop_over_api(api)
        api.post("/api/v1/carrier-accounts", {"carrier": "zto", "credentials": ZTO_ACCOUNT})
        yield api


def shipped_orders(api: Api, count: int) -> list[dict]:
    made = []
    for n in range(count):
        order_id = api.post(ORDERS, order_body(f"S-{n}", lines=[{"sku": "TEE-RED-M", "quantity": 1,
                                                                 "unit_price": 100}]))["id"]
        api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
        made.append(api.post(f"{ORDERS}/{order_id}/shipments", {"carrier": "zto"}))
    return made


def test_shipments_page_with_a_total_and_filter_by_state(api: Api) -> None:
    made = shipped_orders(api, 3)
    api.post(f"{SHIPMENTS}/{made[0]['id']}/pick", {}, status=200)

    first = api.get(SHIPMENTS, limit="2")
    second = api.get(SHIPMENTS, limit="2", cursor=first["next_cursor"])
    picked = api.get(SHIPMENTS, state="picked")

    assert first["total"] == second["total"] == 3 and second["next_cursor"] is None
    assert [s["id"] for s in first["shipments"] + second["shipments"]] == [m["id"] for m in reversed(made)]
    assert [(s["order_number"], s["state"], s["carrier"]) for s in picked["shipments"]] == [("S-0", "picked", "zto")]
    assert picked["total"] == 1 and picked["shipments"][0]["has_label"] is True


def test_returns_list_the_brands_rmas_and_a_partner_only_its_own(api: Api) -> None:
    made = shipped_orders(api, 1)
    rma = api.post(RETURNS, {"order_id": made[0]["order_id"], "lines": {"TEE-RED-M": 1}})

    listed = api.get(RETURNS)

    assert listed["total"] == 1
    assert [(r["id"], r["order_number"], r["state"]) for r in listed["returns"]] == [(rma["id"], "S-0", "open")]
    assert api.get(RETURNS, state="inspected")["total"] == 0
    # The brand's own orders' RMAs and parcels are no partner's: a reseller's key lists its own, here none.
    assert api.get(RETURNS, role="partner")["returns"] == [] and api.get(SHIPMENTS, role="partner")["shipments"] == []
