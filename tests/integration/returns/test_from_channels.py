"""Return requests from channels on each backend: a Shopify refunds/create webhook with goods coming back opens an
RMA once (a redelivery changes nothing), mapped through the channel's listings and linked to the order; one naming
an SKU without a listing becomes a channel exception, with no RMA."""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from flexhub.channels import inbound
from flexhub.integrations.signing import hmac_sha256_base64
from flexhub.returns.model import Return
from flexhub.testing.api_client import ADJUSTMENTS, CHANNELS, LOCATIONS, ORDERS, SKUS, Api, api_over
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

SECRET = "shopify-app-secret"


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})
        api.post(LOCATIONS, {"code": "WH-HZ", "kind": "regional", "country": "CN", "province": "浙江省"})
        api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-HZ", "quantity_delta": 5, "reason": "in"})
        api.post(CHANNELS, {"code": "shop", "platform": "shopify", "credentials": {
            "shop_domain": "acme.myshopify.com", "access_token": "shpat_x", "webhook_secret": SECRET}})
        api.post(f"{CHANNELS}/shop/listings", {"external_sku": "TEE-M-SHOP", "sku": "TEE-RED-M"})
        yield api


def refund(refund_id: int, sku: str = "TEE-M-SHOP") -> dict:
    return {"id": refund_id, "order_id": 450789469, "created_at": "2026-11-30T10:04:00-05:00", "note": "too big",
            "refund_line_items": [{"id": 1, "line_item_id": 703073504, "quantity": 2, "restock_type": "return",
                                   "line_item": {"id": 703073504, "sku": sku, "quantity": 2}}]}


def deliver(api: Api, document: dict) -> None:
    body = json.dumps(document).encode()
    response = api.client.post("/webhooks/shopify/shop", content=body, headers={
        "X-Shopify-Topic": "refunds/create", "X-Shopify-Hmac-Sha256": hmac_sha256_base64(SECRET, body),
        "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    inbound.process_pending(api.hub)


def rmas(api: Api) -> list:
    with api.hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(Return)))


def test_a_refund_with_goods_coming_back_opens_one_rma_for_its_order(api: Api) -> None:
    order_id = api.post(ORDERS, order_body("450789469", channel="shop"))["id"]
    deliver(api, refund(929361464))
    [rma] = rmas(api)
    view = api.get(f"/api/v1/returns/{rma.id}")
    assert (view["source"], view["external_id"], view["order_id"], view["reason"], view["state"]) == (
        "shop", "929361464", order_id, "too big", "open")
    assert [(line["sku"], line["quantity"]) for line in view["lines"]] == [("TEE-RED-M", 2)]
    settled = snapshot(api.hub)
    deliver(api, refund(929361464))  # Shopify redelivers
    assert len(rmas(api)) == 1 and snapshot(api.hub) == settled


def test_a_refund_naming_an_unlisted_sku_is_a_channel_exception_and_opens_nothing(api: Api) -> None:
    deliver(api, refund(929361465, sku="NOT-LISTED"))
    assert rmas(api) == []
    [problem] = api.get("/api/v1/exceptions")["channel_messages"]
    assert (problem["kind"], problem["external_id"]) == ("returns.unmapped_sku", "929361465")
    with api.hub.uow(write=False) as uow:
        assert uow.connection.scalar(select(func.count()).select_from(Return)) == 0
