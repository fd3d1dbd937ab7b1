"""Setting and reading Amazon listing quantities one SKU a call (Listings Items API); feeds.py sends many at once.

The push path is the Listings Items API (PATCH /listings/2021-08-01/items/{sellerId}/{sku}): one
step, answered at once with ACCEPTED or INVALID per SKU, 5 requests/s per seller (burst 5). That
fits "stock out within seconds". A bulk refresh goes as a JSON_LISTINGS_FEED instead (feeds.py).

Both send a JSON-Patch `merge` of /attributes/fulfillment_availability, which changes the quantity
and leaves restock_date and lead_time_to_ship_max_days alone (SP-API changelog, June 2025), with
the generic product type PRODUCT so no per-SKU product type has to be known.
Reading quantities back (reconciliation): searchListingsItems (GET /listings/2021-08-01/items/{sellerId} with
identifiers=sku,sku,… — at most 20 — identifiersType=SKU and includedData=fulfillmentAvailability), 5 requests/s
(burst 5), the `quantity` of each item's DEFAULT fulfillmentAvailability entry. SP-API cannot tell an encoded comma
from a separating one, so a SKU holding a comma is read alone with getListingsItem (GET the single item's path).
"""

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from flexhub.channels.adapter import ListingRef, StockPush, StockRead
from flexhub.channels.platforms.amazon.calls import call
from flexhub.integrations.request import ApiRequest

SEARCH_LIMIT = 20  # identifiers per searchListingsItems call
CHANNEL = "DEFAULT"  # merchant-fulfilled stock; Amazon-fulfilled (AMAZON_NA, ...) is Amazon's to count


def patch_request(credentials: Mapping[str, str], push: StockPush) -> ApiRequest:
    return call(credentials, "PATCH", _item_path(credentials, push.external_sku),
                params={"marketplaceIds": credentials["marketplace_id"]},
                json={"productType": "PRODUCT", "patches": [quantity_patch(push.quantity)]})


def read_requests(credentials: Mapping[str, str], refs: Sequence[ListingRef]) -> list[StockRead]:
    """searchListingsItems for 20 SKUs a call; getListingsItem for a SKU with a comma in it."""
    searched = [ref for ref in refs if "," not in ref.external_sku]
    reads = [StockRead(call(credentials, "GET", _seller_path(credentials), params={
        "marketplaceIds": credentials["marketplace_id"], "identifiersType": "SKU",
        "identifiers": ",".join(ref.external_sku for ref in chunk), "includedData": "fulfillmentAvailability",
        "pageSize": str(SEARCH_LIMIT)}), tuple(chunk))
        for chunk in (searched[n:n + SEARCH_LIMIT] for n in range(0, len(searched), SEARCH_LIMIT))]
    return reads + [read_request(credentials, ref) for ref in refs if "," in ref.external_sku]


def read_request(credentials: Mapping[str, str], ref: ListingRef) -> StockRead:
    return StockRead(call(credentials, "GET", _item_path(credentials, ref.external_sku), params={
        "marketplaceIds": credentials["marketplace_id"], "includedData": "fulfillmentAvailability"}), (ref,))


def read_quantity(payload: Mapping[str, Any], refs: Sequence[ListingRef]) -> dict[str, int]:
    """The DEFAULT quantity of each asked-for SKU a search (`items`) or a single item answers; a SKU the answer
    leaves out is not read. An error body (`errors`) raises ValueError."""
    if payload.get("errors"):
        raise ValueError("; ".join(f"{e.get('code')}: {e.get('message')}" for e in payload["errors"]))
    wanted = {ref.external_sku for ref in refs}
    items = payload["items"] if "items" in payload else [payload]
    figures = {}
    for item in items:
        quantities = [entry.get("quantity") for entry in item.get("fulfillmentAvailability", ())
                      if entry.get("fulfillmentChannelCode") == CHANNEL]
        if item.get("sku") in wanted and quantities and quantities[0] is not None:
            figures[item["sku"]] = int(quantities[0])
    return figures


def _seller_path(credentials: Mapping[str, str]) -> str:
    return f"/listings/2021-08-01/items/{quote(credentials['seller_id'], safe='')}"


def _item_path(credentials: Mapping[str, str], sku: str) -> str:
    return f"{_seller_path(credentials)}/{quote(sku, safe='')}"


def patch_errors(response: Mapping[str, Any]) -> list[str]:
    """A 200 from patchListingsItem may still say INVALID: the ERROR issues, empty when accepted."""
    errors = [issue_text(issue) for issue in response.get("issues", ()) if issue.get("severity") == "ERROR"]
    return errors or ([f"status {response.get('status')}"] if response.get("status") != "ACCEPTED" else [])


def quantity_patch(quantity: int) -> dict[str, Any]:
    return {"op": "merge", "path": "/attributes/fulfillment_availability",
            "value": [{"fulfillment_channel_code": CHANNEL, "quantity": quantity}]}


def issue_text(issue: Mapping[str, Any]) -> str:
    return f"{issue.get('code')}: {issue.get('message')}"
