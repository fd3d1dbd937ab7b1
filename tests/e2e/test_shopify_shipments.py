"""A Shopify store told its order shipped as Shopify takes it, through the sandbox: the order's fulfillment orders read
(GET orders/<id>/fulfillment_orders.json), then a fulfillment made from them with the tracking number (GraphQL
fulfillmentCreate). An order Shopify can no longer fulfil (someone fulfilled it there by hand) is one exception
from its first failed try, tried again with the back-off, and never a flood."""

from typing import Any

from flexhub.fulfillment import queries
from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.platforms.shopify_fulfillment import create_fulfillment, fulfillment_order_id, line_item_id
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.sandbox.store import Store
from flexhub.testing.fulfillment import ship_when_routed

SKU = "TEE-RED-M"
CHANNEL = "shopify-shop"


def test_a_shopify_order_is_fulfilled_from_its_fulfillment_orders_with_the_tracking_number(
        stage: Stage, sf: SfSandbox) -> None:
    store, placed = shopify_order(stage)

    waybill = ship_when_routed(stage.hub, stage.admin, CHANNEL, placed.external_id)

    told = wait_until(lambda: store.orders[placed.external_id].shipments)
    assert told == [{"carrier": "sf_express", "tracking_number": waybill,
                     "lines": [{"line": str(line_item_id(placed, 0)), "quantity": 2}]}]
    assert store.orders[placed.external_id].status == "shipped"
    lookups = [(e.method, e.status) for e in store.log if e.path.endswith("/fulfillment_orders.json")]
    assert lookups == [("GET", 200)]  # read once, then fulfilled from what it named
    assert problems(stage) == []


def test_an_order_shopify_cannot_fulfil_is_one_exception_tried_again_with_back_off(stage: Stage,
                                                                                   sf: SfSandbox) -> None:
    store, placed = shopify_order(stage)
    gid = f"gid://shopify/FulfillmentOrder/{fulfillment_order_id(placed)}"
    assert create_fulfillment(store, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": gid}],
                                      "trackingInfo": {"number": "BY-HAND"}}).status == 200

    ship_when_routed(stage.hub, stage.admin, CHANNEL, placed.external_id)

    first = wait_until(lambda: problems(stage))
    assert [(p["problem"], p["attempts"]) for p in first] == [("channel_notice_failing", 1)]
    assert "more than its fulfillment orders can still ship" in first[0]["error"]
    again = wait_until(lambda: [p for p in problems(stage) if p["attempts"] >= 2], timeout_s=10)
    assert len(again) == len(problems(stage)) == 1  # tried again 1–2 s later, still one entry
    assert [s["tracking_number"] for s in store.orders[placed.external_id].shipments] == ["BY-HAND"]


def shopify_order(stage: Stage) -> tuple[Store, Any]:
    store = stage.open("shopify", CHANNEL, [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10)
    placed = stage.market.place_order(store, {SKU: 2})
    return store, placed


def problems(stage: Stage) -> list[dict[str, Any]]:
    with stage.hub.uow(write=False) as uow:
        return [p for p in queries.shipment_problems(uow.connection, stage.admin.tenant_id)
                if p["problem"].startswith("channel_notice")]
