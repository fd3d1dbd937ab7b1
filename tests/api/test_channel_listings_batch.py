"""POST /api/v1/channels/{code}/listings:batch: a store's catalog listed at once, each listing made or refused with
its code, the made ones' figures planned; a refusal of the whole batch makes nothing."""

import time

from sqlalchemy import func, select

from flexhub.channels.model import Listing, StockPush
from flexhub.testing.api_client import CHANNELS, SKUS, Api, assert_error
from flexhub.testing.snapshots import snapshot

BATCH = f"{CHANNELS}/web/listings:batch"


def catalog(api: Api, *codes: str) -> None:
    for code in codes:
        api.post(SKUS, {"code": code, "name": code})
    api.post(CHANNELS, {"code": "web", "platform": "generic"})


def test_each_listing_is_made_or_refused_with_its_code(api: Api) -> None:
    catalog(api, "TEE-S", "TEE-M", "TEE-L")
    api.post(f"{CHANNELS}/web/listings", {"external_sku": "W-L", "sku": "TEE-L"})

    answer = api.post(BATCH, {"listings": [
        {"external_sku": "W-S", "sku": "TEE-S", "external_item_id": "1001"},
        {"external_sku": "W-M", "sku": "TEE-M", "allocation": {"mode": "quota", "quota": 3}},
        {"external_sku": "W-X", "sku": "NO-SUCH-SKU"},
        {"external_sku": "W-S", "sku": "TEE-M"},  # the same external SKU again in the batch
        {"external_sku": "W-L", "sku": "TEE-L"},  # listed before
        {"external_sku": "W-B", "sku": "TEE-L", "allocation": {"mode": "bogus"}},
    ]}, status=200)

    assert [(x["external_sku"], x["sku"], x["external_item_id"]) for x in answer["created"]] == [
        ("W-S", "TEE-S", "1001"), ("W-M", "TEE-M", None)]
    assert answer["created"][1]["allocation"]["mode"] == "quota"
    assert [(x["external_sku"], x["code"]) for x in answer["refused"]] == [
        ("W-X", "catalog.unknown_sku"), ("W-S", "channels.listing_exists"), ("W-L", "channels.listing_exists"),
        ("W-B", "channels.invalid_allocation")]
    with api.hub.uow(write=False) as uow:
        listed = set(uow.connection.execute(select(Listing.external_sku)).scalars())
    assert listed == {"W-S", "W-M", "W-L"}


def test_the_listings_made_have_their_figures_planned(api: Api) -> None:
    catalog(api, "TEE-S", "TEE-M")

    api.post(BATCH, {"listings": [{"external_sku": "W-S", "sku": "TEE-S"}, {"external_sku": "W-M", "sku": "TEE-M"}]},
             status=200)

    api.hub.workers.start()  # the relay announces the batch, the planner plans a figure per listing
    try:
        deadline, planned = time.monotonic() + 15, 0
        while planned < 2 and time.monotonic() < deadline:
            with api.hub.uow(write=False) as uow:
                planned = uow.connection.execute(select(func.count()).select_from(StockPush)).scalar()
            time.sleep(0.1)
    finally:
        api.hub.workers.stop()
    assert planned == 2


def test_a_batch_for_an_unknown_channel_or_from_a_non_admin_makes_nothing(api: Api) -> None:
    catalog(api, "TEE-S")
    before = snapshot(api.hub)
    body = {"listings": [{"external_sku": "W-S", "sku": "TEE-S"}]}

    assert_error(api.client.post(f"{CHANNELS}/nowhere/listings:batch", json=body, headers=api.headers()), 404,
                 "channels.unknown_channel")
    assert_error(api.client.post(BATCH, json=body, headers=api.headers("operator")), 403, "auth.forbidden")
    assert_error(api.client.post(BATCH, json={"listings": []}, headers=api.headers()), 422, "request.invalid")
    too_many = {"listings": [{"external_sku": f"W-{n}", "sku": "TEE-S"} for n in range(1001)]}
    assert_error(api.client.post(BATCH, json=too_many, headers=api.headers()), 422, "request.invalid")

    assert snapshot(api.hub) == before
