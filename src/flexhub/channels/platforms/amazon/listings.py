"""Setting Amazon listing quantities: one patchListingsItem per SKU, or a JSON_LISTINGS_FEED in bulk.

The push path is the Listings Items API (PATCH /listings/2021-08-01/items/{sellerId}/{sku}): one
step, answered at once with ACCEPTED or INVALID per SKU, 5 requests/s per seller (burst 5). That
fits "stock out within seconds" and the pure request-building protocol. A feed carries up to 25,000
listings but takes three steps (createFeedDocument → upload → createFeed), five feeds per five
minutes per region, and minutes to process; it is offered here for full re-syncs of big catalogues.

Both send a JSON-Patch `merge` of /attributes/fulfillment_availability, which changes the quantity
and leaves restock_date and lead_time_to_ship_max_days alone (SP-API changelog, June 2025), with
the generic product type PRODUCT so no per-SKU product type has to be known.
Reading quantities back (reconciliation): searchListingsItems (GET /listings/2021-08-01/items/{sellerId} with
identifiers=sku,sku,… — at most 20 — identifiersType=SKU and includedData=fulfillmentAvailability), 5 requests/s
(burst 5), the `quantity` of each item's DEFAULT fulfillmentAvailability entry. SP-API cannot tell an encoded comma
from a separating one, so a SKU holding a comma is read alone with getListingsItem (GET the single item's path).
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flexhub.channels.adapter import ListingRef, StockPush, StockRead
from flexhub.channels.platforms.amazon.calls import call
from flexhub.integrations.request import ApiRequest

SEARCH_LIMIT = 20  # identifiers per searchListingsItems call
FEED_LIMIT = 25_000  # messages per JSON_LISTINGS_FEED (SP-API changelog, May 2025; it was 10,000)
FEED_CONTENT_TYPE = "application/json; charset=UTF-8"
CHANNEL = "DEFAULT"  # merchant-fulfilled stock; Amazon-fulfilled (AMAZON_NA, ...) is Amazon's to count


def patch_request(credentials: Mapping[str, str], push: StockPush) -> ApiRequest:
    return call(credentials, "PATCH", _item_path(credentials, push.external_sku),
                params={"marketplaceIds": credentials["marketplace_id"]},
                json={"productType": "PRODUCT", "patches": [_quantity_patch(push.quantity)]})


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
    errors = [_issue(issue) for issue in response.get("issues", ()) if issue.get("severity") == "ERROR"]
    return errors or ([f"status {response.get('status')}"] if response.get("status") != "ACCEPTED" else [])


def feed_document(seller_id: str, pushes: Sequence[StockPush]) -> dict[str, Any]:
    """The JSON_LISTINGS_FEED body; messageId n is pushes[n - 1]."""
    if len(pushes) > FEED_LIMIT:
        raise ValueError(f"a listings feed carries at most {FEED_LIMIT} messages, not {len(pushes)}")
    messages = [{"messageId": n, "sku": push.external_sku, "operationType": "PATCH", "productType": "PRODUCT",
                 "patches": [_quantity_patch(push.quantity)]} for n, push in enumerate(pushes, start=1)]
    return {"header": {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"}, "messages": messages}


def feed_document_request(credentials: Mapping[str, str]) -> ApiRequest:
    """Step 1, createFeedDocument: answers a feedDocumentId and a pre-signed upload url."""
    return call(credentials, "POST", "/feeds/2021-06-30/documents", json={"contentType": FEED_CONTENT_TYPE})


def feed_upload_request(upload_url: str, document: Mapping[str, Any]) -> ApiRequest:
    """Step 2: PUT the document to the pre-signed url (no SP-API token; the url is the authority)."""
    return ApiRequest("PUT", upload_url, headers={"content-type": FEED_CONTENT_TYPE},
                      content=json.dumps(document, separators=(",", ":")).encode())


def create_feed_request(credentials: Mapping[str, str], feed_document_id: str) -> ApiRequest:
    """Step 3, createFeed: the processing report comes back through getFeed's resultFeedDocumentId."""
    return call(credentials, "POST", "/feeds/2021-06-30/feeds", json={
        "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [credentials["marketplace_id"]],
        "inputFeedDocumentId": feed_document_id})


@dataclass(frozen=True, slots=True)
class ListingResult:
    sku: str
    accepted: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def feed_results(report: Mapping[str, Any], skus: Iterable[str] = ()) -> dict[str, ListingResult]:
    """Per SKU of a listings-feed processing report: accepted unless an ERROR issue names it.

    The report names only SKUs with issues; pass the SKUs that were sent to get a result for each.
    """
    errors: dict[str, list[str]] = {sku: [] for sku in skus}
    warnings: dict[str, list[str]] = {sku: [] for sku in skus}
    for issue in report.get("issues", ()):
        sku = issue["sku"]
        errors.setdefault(sku, [])
        warnings.setdefault(sku, [])
        (errors if issue.get("severity") == "ERROR" else warnings)[sku].append(_issue(issue))
    return {sku: ListingResult(sku, not errors[sku], tuple(errors[sku]), tuple(warnings[sku])) for sku in errors}


def _quantity_patch(quantity: int) -> dict[str, Any]:
    return {"op": "merge", "path": "/attributes/fulfillment_availability",
            "value": [{"fulfillment_channel_code": CHANNEL, "quantity": quantity}]}


def _issue(issue: Mapping[str, Any]) -> str:
    return f"{issue.get('code')}: {issue.get('message')}"
