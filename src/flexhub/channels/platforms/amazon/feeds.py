"""Amazon listing quantities in bulk: a JSON_LISTINGS_FEED through the Feeds API (2021-06-30), step by step.

Sending: createFeedDocument (POST /feeds/2021-06-30/documents → feedDocumentId and a pre-signed upload url), the
document PUT to that url (no SP-API token: the url is the authority), createFeed (POST /feeds/2021-06-30/feeds →
feedId). Amazon then processes it — minutes, not seconds — and getFeed (GET /feeds/2021-06-30/feeds/{feedId})
says IN_QUEUE, IN_PROGRESS, DONE, CANCELLED or FATAL; a finished feed names its processing report
(resultFeedDocumentId), whose download url getFeedDocument gives, GZIP-compressed when it says so. The report lists
issues per message (sku and messageId); a SKU without an ERROR issue was taken.

Limits (default usage plans): createFeedDocument 0.5/s burst 15, createFeed 0.0083/s burst 15 (five feeds per five
minutes a region), getFeed 2/s burst 15, getFeedDocument 0.0222/s burst 10; 25,000 messages a feed
(SP-API changelog, May 2025; it was 10,000). Sources: developer-docs.amazon.com/sp-api feeds-api-v2021-06-30
reference, and the listings feed and processing-report examples in the repository's shared fixtures.
"""

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flexhub.channels.adapter import FeedProgress, ListingResult, StockPush
from flexhub.channels.platforms.amazon.calls import call
from flexhub.channels.platforms.amazon.listings import issue_text, quantity_patch
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest

FEED_LIMIT = 25_000
FEED_CONTENT_TYPE = "application/json; charset=UTF-8"
CREATE_FEED = RateLimit(per_second=0.0083, burst=15)
# From how many waiting figures a feed is sent instead of patches: 500 patches take 100 s at 5/s, about what a
# small feed takes to process; fewer go faster one by one, and urgent ones always do.
FEED_THRESHOLD = 500
FINISHED = {"DONE": None, "CANCELLED": "the feed was cancelled", "FATAL": "Amazon could not process the feed"}


def feed_document(seller_id: str, pushes: Sequence[StockPush]) -> dict[str, Any]:
    """The JSON_LISTINGS_FEED body; messageId n is pushes[n - 1]."""
    if len(pushes) > FEED_LIMIT:
        raise ValueError(f"a listings feed carries at most {FEED_LIMIT} messages, not {len(pushes)}")
    messages = [{"messageId": n, "sku": push.external_sku, "operationType": "PATCH", "productType": "PRODUCT",
                 "patches": [quantity_patch(push.quantity)]} for n, push in enumerate(pushes, start=1)]
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


def feed_status_request(credentials: Mapping[str, str], feed_id: str) -> ApiRequest:
    return call(credentials, "GET", f"/feeds/2021-06-30/feeds/{feed_id}")


def feed_progress(answer: Mapping[str, Any]) -> FeedProgress:
    status = answer.get("processingStatus")
    if status not in FINISHED:
        if status not in ("IN_QUEUE", "IN_PROGRESS"):
            raise ValueError(f"getFeed answered no known processingStatus: {str(answer)[:200]}")
        return FeedProgress(finished=False)
    failure = FINISHED[status]
    return FeedProgress(finished=True, result_document_id=answer.get("resultFeedDocumentId"), failure=failure)


def result_document_request(credentials: Mapping[str, str], document_id: str) -> ApiRequest:
    return call(credentials, "GET", f"/feeds/2021-06-30/documents/{document_id}")


def result_download_request(answer: Mapping[str, Any]) -> ApiRequest:
    return ApiRequest("GET", answer["url"])


def feed_report(answer: Mapping[str, Any], content: bytes) -> Mapping[str, Any]:
    if answer.get("compressionAlgorithm") == "GZIP":
        content = gzip.decompress(content)
    report = json.loads(content)
    if not isinstance(report, dict):
        raise ValueError("the processing report is not a JSON object")
    return report


def feed_results(report: Mapping[str, Any], skus: Iterable[str] = ()) -> dict[str, ListingResult]:
    """Per SKU of a listings-feed processing report: accepted unless an ERROR issue names it.

    The report names only SKUs with issues; pass the SKUs that were sent, in their order, to get a result for each
    (and to find the SKU of an issue that gives only its messageId).
    """
    sent = list(skus)
    errors: dict[str, list[str]] = {sku: [] for sku in sent}
    warnings: dict[str, list[str]] = {sku: [] for sku in sent}
    for issue in report.get("issues", ()):
        sku, message = issue.get("sku"), issue.get("messageId")
        if sku is None and isinstance(message, int) and 0 < message <= len(sent):
            sku = sent[message - 1]
        if sku is None:
            continue  # an issue with the feed as a whole (its header): no listing to charge it to
        errors.setdefault(sku, [])
        warnings.setdefault(sku, [])
        (errors if issue.get("severity") == "ERROR" else warnings)[sku].append(issue_text(issue))
    return {sku: ListingResult(sku, not errors[sku], tuple(errors[sku]), tuple(warnings[sku])) for sku in errors}
