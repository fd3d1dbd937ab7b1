"""Amazon's Feeds API (2021-06-30) as the sandbox serves it: JSON_LISTINGS_FEED documents uploaded, processed a
while later, and a processing report to download.

createFeedDocument answers a feedDocumentId and a pre-signed upload url (here under the store's own path,
/feed-uploads/{id}, its signature a secret the url carries; no SP-API token is asked for, as with S3). createFeed
takes an uploaded document; the feed is IN_QUEUE until PROCESSING_S later, when each message's quantity is set
(those naming an unlisted SKU or no DEFAULT quantity get an ERROR issue) and the feed is DONE, or FATAL when the
document is not a listings feed. getFeed says where it stands; getFeedDocument gives the report's download url,
GZIP-compressed. Real feeds take minutes: PROCESSING_S is a sandbox's few seconds, so runs stay short.
"""

import gzip
import json
import re
import threading
import uuid
from datetime import datetime
from typing import Any

from flexhub.integrations.signing import same
from flexhub.kernel import clock
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.store import Entry, Store

PROCESSING_S = 3.0
FEED_LIMIT = 25_000
DOCUMENTS = "/feeds/2021-06-30/documents"
FEEDS = "/feeds/2021-06-30/feeds"
FEED = re.compile(r"^/feeds/2021-06-30/feeds/([^/]+)$")
DOCUMENT = re.compile(r"^/feeds/2021-06-30/documents/([^/]+)$")
UPLOAD = re.compile(r"^/feed-uploads/([^/]+)$")
DOWNLOAD = re.compile(r"^/feed-downloads/([^/]+)$")


def operation(method: str, path: str) -> str | None:
    if (method, path) == ("POST", DOCUMENTS):
        return "createFeedDocument"
    if (method, path) == ("POST", FEEDS):
        return "createFeed"
    if method == "GET" and FEED.match(path):
        return "getFeed"
    if method == "GET" and DOCUMENT.match(path):
        return "getFeedDocument"
    if method == "PUT" and UPLOAD.match(path):
        return "uploadFeedDocument"
    if method == "GET" and DOWNLOAD.match(path):
        return "downloadFeedDocument"
    return None


SIGNED = ("uploadFeedDocument", "downloadFeedDocument")  # the url is the authority, not the access token


def handle(store: Store, operation: str, request: Received, listed: Any) -> Answer:
    """Serve one Feeds API call; `listed(store, sku, body)` is the quantity a patch sets, or None if refused."""
    documents, feeds = store.feeds.setdefault("documents", {}), store.feeds.setdefault("feeds", {})
    if operation == "createFeedDocument":
        document_id = f"amzn1.tortuga.4.na.{uuid.uuid4().hex}"
        documents[document_id] = {"signature": uuid.uuid4().hex, "content": None}
        return Answer(201, {"feedDocumentId": document_id, "url": _signed(store, "feed-uploads", document_id)})
    if operation in SIGNED:
        document_id = request.matched(UPLOAD if operation == "uploadFeedDocument" else DOWNLOAD)[1]
        document = documents.get(document_id)
        if document is None or not same(document["signature"], request.query.get("X-Amz-Signature")):
            raise Refused(Answer(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>"))
        if operation == "downloadFeedDocument":
            return Answer(200, document["content"])
        document["content"] = request.body
        return Answer(200, b"")
    if operation == "createFeed":
        return _create_feed(store, request, documents, feeds, listed)
    if operation == "getFeed":
        feed = feeds.get(request.matched(FEED)[1])
        if feed is None:
            raise Refused(Answer(404, errors("NotFound", "The requested feed was not found.")))
        return Answer(200, {key: value for key, value in feed.items() if not key.startswith("_")})
    document_id = request.matched(DOCUMENT)[1]
    if document_id not in documents or documents[document_id]["content"] is None:
        raise Refused(Answer(404, errors("NotFound", "The requested feed document was not found.")))
    return Answer(200, {"feedDocumentId": document_id, "url": _signed(store, "feed-downloads", document_id),
                        "compressionAlgorithm": "GZIP"})


def _create_feed(store: Store, request: Received, documents: dict[str, Any], feeds: dict[str, Any],
                 listed: Any) -> Answer:
    body = request.json() or {}
    document_id = body.get("inputFeedDocumentId")
    document = documents.get(document_id) if isinstance(document_id, str) else None
    if body.get("feedType") != "JSON_LISTINGS_FEED" or document is None or document["content"] is None or \
            body.get("marketplaceIds") != [store.credentials["marketplace_id"]]:
        raise Refused(Answer(400, errors("InvalidInput", "feedType JSON_LISTINGS_FEED, this marketplace and an "
                                                          "uploaded inputFeedDocumentId are required")))
    feed_id = str(50_000_000_000 + len(feeds))
    feeds[feed_id] = {"feedId": feed_id, "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": body["marketplaceIds"],
                      "createdTime": _stamp(request.at), "processingStatus": "IN_QUEUE"}
    timer = threading.Timer(PROCESSING_S, _process, (store, feed_id, document["content"], listed))
    timer.daemon = True
    timer.start()
    return Answer(202, {"feedId": feed_id})


def _process(store: Store, feed_id: str, content: bytes, listed: Any) -> None:
    started, issues, figures = clock.now(), [], {}
    try:
        messages = json.loads(content)["messages"]
        if not isinstance(messages, list) or len(messages) > FEED_LIMIT:
            raise ValueError(f"messages must be a list of at most {FEED_LIMIT}")
    except (ValueError, KeyError, TypeError) as error:
        messages, issues = None, [{"code": "100001", "severity": "ERROR", "message": f"Unreadable feed: {error}"}]
    for message in messages or ():
        sku = message.get("sku")
        quantity = listed(store, sku, message) if message.get("operationType") == "PATCH" else None
        if quantity is None:
            issues.append({"messageId": message.get("messageId"), "sku": sku, "code": "4000001", "severity": "ERROR",
                           "message": "The SKU is not listed, or the patch sets no DEFAULT quantity."})
        else:
            figures[sku] = quantity
    report = {"header": {"sellerId": store.credentials["seller_id"], "version": "2.0", "feedId": feed_id},
              "issues": issues, "summary": {"errors": len(issues), "warnings": 0,
                                            "messagesProcessed": len(messages or ()),
                                            "messagesAccepted": len(figures), "messagesInvalid": len(issues)}}
    report_id = f"amzn1.tortuga.4.na.{uuid.uuid4().hex}"
    with store.lock:
        for sku, quantity in figures.items():
            store.show(sku, quantity, clock.now())
        store.feeds["documents"][report_id] = {"signature": uuid.uuid4().hex,
                                               "content": gzip.compress(json.dumps(report).encode())}
        store.feeds["feeds"][feed_id] |= {
            "processingStatus": "FATAL" if messages is None else "DONE", "processingStartTime": _stamp(started),
            "processingEndTime": _stamp(clock.now()), "resultFeedDocumentId": report_id}
        store.record(Entry(clock.now(), "FEED", f"{FEEDS}/{feed_id}", "processFeed", 200, figures))


def _signed(store: Store, kind: str, document_id: str) -> str:
    signature = store.feeds["documents"][document_id]["signature"]
    return f"{store.credentials['base_url']}/{kind}/{document_id}?X-Amz-Signature={signature}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def errors(code: str, message: str) -> dict[str, Any]:
    """SP-API's error list, as every operation answers a refusal."""
    return {"errors": [{"code": code, "message": message, "details": ""}]}
