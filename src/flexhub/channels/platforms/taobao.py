"""`taobao` and `tmall`: the Taobao Open Platform (TOP, https://open.taobao.com), which serves both.

Every call is one signed POST to the router with system parameters (method, app_key, session,
timestamp in Beijing time, format=json, v=2.0, sign_method) beside the API's own. The sign is over
the parameters sorted by name and concatenated as name+value: md5 → uppercase MD5(secret + that +
secret); hmac → uppercase HMAC-MD5(secret, that); hmac-sha256 → uppercase HMAC-SHA256(secret, that).
The channel chooses with the optional credential `sign_method` (md5 when absent).

Orders, two steps like Shopee's: taobao.trades.sold.increment.get lists the trades modified in a
window of at most one day (page_size ≤ 100; "use a span of 30 minutes or less"), and
taobao.trade.fullinfo.get (one tid a call) gives each trade whole: `detail_requests` / `parse_details`.
The list is sorted by `modified`, newest first, and its answer does not say which page it is, so a page
is not addressed by number (which shifts when a trade changes during the walk, the reason TOP asks for
pages to be read last-to-first): the cursor is the oldest `modified` seen, and the next request ends
there. Trades sharing that second come again; intake is idempotent.

Messages (TMC) are not pushed over signed HTTP: an app consumes them over TMC's WebSocket or pulls them
with taobao.tmc.messages.consume (and confirms with taobao.tmc.messages.confirm), on its own signed
connection. `verify_webhook` therefore refuses every inbound HTTP call; a TMC consumer hands a message
(or a consume response) straight to `parse_webhook`, which turns `taobao_trade_*` topics into
`OrderReference`s for `detail_requests`. Refunds: a `taobao_refund_RefundCreated` message (content refund_id,
tid, oid, refund_fee…) only names the case (`parse_returns` → `ReturnReference`); taobao.refund.get (one
refund_id a call) gives it whole, and only a case with has_good_return true brings goods back: its `num`
units of the sub-order's SKU (outer_id, the merchant's code, else the listing's num_iid:sku_id).

Stock: taobao.skus.quantity.update, type=1 (full), ≤ 20 SKUs of one item a call; an item without SKUs
by taobao.item.quantity.update. Stock read (reconciliation): taobao.item.seller.get (one num_iid a
call, fields num_iid,num,sku), each SKU's `quantity`, or the item's `num` when it has no SKUs.
Shipment: taobao.logistics.offline.send (tid, out_sid, company_code from taobao.logistics.companies.get;
sub_tid lists whole sub-orders for a split shipment).
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any, ClassVar

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ChannelReturn,
    ListingRef,
    OrderReference,
    OrdersPage,
    ReturnReference,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.channels.errors import UnreadablePayload
from flexhub.integrations.beijing import beijing_moment, beijing_text, beijing_time
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_md5_hex, hmac_sha256_hex, md5_hex
from flexhub.kernel import clock
from flexhub.kernel.money import to_minor

PRODUCTION = "https://eco.taobao.com/router/rest"
CURRENCY = "CNY"
PAGE_SIZE = 100
SKU_BATCH = 20
MAX_WINDOW = timedelta(days=1)
LIST_FIELDS = "tid,status,modified"
REFUND_TOPICS = ("taobao_refund_RefundCreated",)
REFUND_FIELDS = "refund_id,tid,oid,status,good_status,has_good_return,num,num_iid,sku,outer_id,reason,created,modified"
TRADE_FIELDS = ",".join((
    "tid", "tid_str", "status", "type", "created", "modified", "pay_time", "payment", "post_fee", "total_fee",
    "discount_fee", "step_trade_status", "buyer_nick", "buyer_open_uid", "receiver_name", "receiver_country",
    "receiver_state", "receiver_city", "receiver_district", "receiver_town", "receiver_address", "receiver_zip",
    "receiver_mobile", "receiver_phone", "orders",
))

# Trade.status (bububa/opentaobao model/trade/Trade.go, generated from TOP's metadata).
STATUSES = {
    "TRADE_NO_CREATE_PAY": "unpaid",
    "WAIT_BUYER_PAY": "unpaid",
    "PAY_PENDING": "unpaid",  # an international card payment being confirmed
    "WAIT_PRE_AUTH_CONFIRM": "unpaid",  # a zero-down contract being confirmed
    "WAIT_SELLER_SEND_GOODS": "paid",
    "PAID_FORBID_CONSIGN": "paid",  # a group buy still forming: paid, not to be shipped yet
    "SELLER_CONSIGNED_PART": "paid",  # part shipped, the rest still to ship
    "WAIT_BUYER_CONFIRM_GOODS": "shipped",
    "TRADE_BUYER_SIGNED": "delivered",  # cash on delivery, signed for
    "TRADE_FINISHED": "delivered",
    "TRADE_CLOSED": "refunded",  # closed after payment because the buyer was refunded
    "TRADE_CLOSED_BY_TAOBAO": "cancelled",  # closed before payment by buyer or seller
}
# The hub's carriers by TOP's company_code (taobao.logistics.companies.get's `code`, what offline.send takes):
# Alibaba's own documentation lists them as the logistics company codes of its trades (help.aliyun.com, LinkedMall
# LogisticsOrderResult.logisticsCompanyCode: "SF 顺丰速运", "ZTO 中通快递"). JD's and DHL's codes are not mapped: that
# list's JD entry is not legible as a code and it has no DHL, and no list Alibaba publishes was found for them
# (taobao.logistics.companies.get serves a shop's app only). A notice with either is refused here with that reason
# rather than sent with the hub's own code, which TOP refuses; any other carrier must already be TOP's code.
COMPANY_CODES = {"sf_express": "SF", "zto": "ZTO"}
UNMAPPED = ("jd_logistics", "dhl")


class TaobaoAdapter:
    platform: ClassVar[str] = "taobao"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "session")
    # TOP grants call quotas per app and API (console "流量"), not one published rate; this stays modest.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10, stock_batch=SKU_BATCH)
    capabilities: ClassVar[frozenset[str]] = frozenset({
        "order_details", "return_requests", "return_details", "answer_errors", "order_limit"})
    # TOP counts each API's calls apart (its console's 流量 per API): trades' details do not spend the stock calls'.
    order_rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        raise SignatureInvalid("TOP sends no signed HTTP push; TMC messages arrive on the app's own connection")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        return [_reference(message) for message in _messages(json.loads(body))
                if message.get("topic", "").startswith("taobao_trade_")]

    def parse_returns(self, headers: Mapping[str, str], body: bytes) -> list[ReturnReference]:
        """The refund cases a message (or a consume response) announces, named only."""
        return [ReturnReference(str(_content(message)["refund_id"])) for message in _messages(json.loads(body))
                if message.get("topic") in REFUND_TOPICS]

    def return_detail_requests(self, credentials: Mapping[str, str], refund_ids: Sequence[str]) -> list[ApiRequest]:
        """taobao.refund.get, one refund a call."""
        return [signed_request(credentials, "taobao.refund.get", {"fields": REFUND_FIELDS, "refund_id": refund_id})
                for refund_id in refund_ids]

    def parse_return_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return [_answer(payload, "refund_get_response")["refund"]]

    def parse_return(self, payload: Mapping[str, Any]) -> ChannelReturn:
        """A refund case: goods come back only when the buyer must return them (has_good_return)."""
        back = _is_true(payload.get("has_good_return")) and int(payload.get("num") or 0) > 0
        return ChannelReturn(external_id=str(payload["refund_id"]), order_external_id=str(payload["tid"]),
                             lines=((_refunded_sku(payload), int(payload["num"])),) if back else (),
                             reason=payload.get("reason") or None, requested_at=beijing_time(payload.get("created")))

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        lines = tuple(_line(order) for order in (payload.get("orders") or {}).get("order", []))
        shipping = to_minor(payload.get("post_fee") or 0, CURRENCY)
        net = sum(line.unit_price * line.quantity - line.discount for line in lines)
        # Order-level promotions (满减, shop coupons) are the rest between the lines and what was paid.
        paid = payload.get("payment")
        order_discount = max(0, net + shipping - to_minor(paid, CURRENCY)) if paid is not None else 0
        return ChannelOrder(
            external_id=_tid(payload), status=_status(payload["status"]), platform_status=payload["status"],
            currency=CURRENCY, lines=lines, buyer=_buyer(payload), shipping_address=_address(payload),
            shipping_fee=shipping, order_discount=order_discount, placed_at=beijing_time(payload.get("created")),
            updated_at=beijing_time(payload.get("modified")), presale=bool(payload.get("step_trade_status")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        if until - since > MAX_WINDOW:
            raise ValueError("taobao.trades.sold.increment.get takes a window of at most one day")
        return signed_request(credentials, "taobao.trades.sold.increment.get", {
            "fields": LIST_FIELDS, "start_modified": beijing_text(since), "end_modified": cursor or beijing_text(until),
            "page_no": "1", "page_size": str(PAGE_SIZE), "use_has_next": "true"})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        answer = _answer(payload, "trades_sold_increment_get_response")
        trades = (answer.get("trades") or {}).get("trade", [])
        listed = tuple({"external_id": _tid(trade), "platform_status": trade.get("status")} for trade in trades)
        return OrdersPage(listed, _earlier_end(trades) if answer.get("has_next") and trades else None)

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """taobao.trade.fullinfo.get, one trade a call."""
        return [signed_request(credentials, "taobao.trade.fullinfo.get", {"fields": TRADE_FIELDS, "tid": tid})
                for tid in external_ids]

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return [_answer(payload, "trade_fullinfo_get_response")["trade"]]

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """TOP answers HTTP 200 to a refused call, with an `error_response`."""
        error = payload.get("error_response")
        return f"TOP {error.get('code')} {error.get('sub_code')}: {error.get('msg')}" if error else None

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        listings = sorted((_listing(push) + (push.quantity,) for push in pushes), key=lambda row: row[:2])
        requests = []
        for (num_iid, has_skus), grouped in groupby(listings, key=lambda row: (row[0], bool(row[1]))):
            rows = list(grouped)
            if not has_skus:  # an item without SKUs: its own quantity
                requests += [signed_request(credentials, "taobao.item.quantity.update", {
                    "num_iid": num_iid, "quantity": str(quantity), "type": "1"}) for _, _, quantity in rows]
                continue
            for start in range(0, len(rows), SKU_BATCH):
                pairs = ";".join(f"{sku_id}:{quantity}" for _, sku_id, quantity in rows[start:start + SKU_BATCH])
                requests.append(signed_request(credentials, "taobao.skus.quantity.update", {
                    "num_iid": num_iid, "skuid_quantities": pairs, "type": "1"}))
        return requests

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        by_item: dict[str, list[ListingRef]] = {}
        for ref in listings:
            by_item.setdefault(_listing(ref)[0], []).append(ref)
        return [StockRead(signed_request(credentials, "taobao.item.seller.get", {
            "num_iid": num_iid, "fields": "num_iid,num,sku"}), tuple(refs)) for num_iid, refs in by_item.items()]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if error := self.response_error(payload):
            raise ValueError(error)
        item = (payload.get("item_seller_get_response") or {}).get("item") or {}
        held = {str(sku["sku_id"]): int(sku["quantity"]) for sku in (item.get("skus") or {}).get("sku", ())}
        figures = {}
        for ref in listings:
            num_iid, sku_id = _listing(ref)
            if str(item.get("num_iid")) != num_iid:
                continue
            quantity = held.get(sku_id) if sku_id else item.get("num")
            if quantity is not None:
                figures[ref.external_sku] = int(quantity)
        return figures

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        if notice.carrier in UNMAPPED:
            raise ValueError(f"the hub's carrier {notice.carrier} has no TOP company_code known here: ship it with "
                             "the code taobao.logistics.companies.get lists for the shop")
        params = {"tid": notice.external_id, "out_sid": notice.tracking_number,
                  "company_code": COMPANY_CODES.get(notice.carrier, notice.carrier)}
        if notice.lines and not notice.whole:  # TOP splits by whole sub-orders (oid); no partial quantity of one
            params |= {"is_split": "1", "sub_tid": ",".join(line for line, _ in notice.lines)}
        return signed_request(credentials, "taobao.logistics.offline.send", params)


class TmallAdapter(TaobaoAdapter):
    """Tmall stores are TOP sellers too: the same API, trades and signature, under their own platform name."""

    platform: ClassVar[str] = "tmall"


def signed_request(credentials: Mapping[str, str], method: str, params: Mapping[str, str]) -> ApiRequest:
    """One TOP call: the API's parameters with the system ones and their sign."""
    sign_method = credentials.get("sign_method", "md5")
    signed = {"method": method, "app_key": credentials["app_key"], "session": credentials["session"],
              "timestamp": beijing_text(clock.now()), "format": "json", "v": "2.0", "sign_method": sign_method,
              **params}
    signed["sign"] = top_sign(signed, credentials["app_secret"], sign_method)
    return ApiRequest("POST", credentials.get("base_url", PRODUCTION), params=signed)


def top_sign(params: Mapping[str, str], secret: str, sign_method: str = "md5") -> str:
    """TOP's sign: the parameters (sign itself left out) sorted by name, as name+value, digested."""
    base = "".join(f"{name}{params[name]}" for name in sorted(params) if name != "sign")
    if sign_method == "md5":
        return md5_hex(secret + base + secret).upper()
    if sign_method == "hmac":
        return hmac_md5_hex(secret, base).upper()
    if sign_method == "hmac-sha256":
        return hmac_sha256_hex(secret, base).upper()
    raise ValueError(f"unknown TOP sign_method {sign_method!r}")


def _earlier_end(trades: Sequence[Mapping[str, Any]]) -> str:
    """The next page's end_modified: the oldest `modified` of this page (its format sorts as text).

    A full page all within one second cannot move the end by itself; it steps back a second and so
    misses that second's trades past the 100th (100 changes in one second; their TMC messages name them).
    """
    oldest, newest = min(t["modified"] for t in trades), max(t["modified"] for t in trades)
    if oldest < newest:
        return oldest
    return beijing_text(beijing_moment(oldest) - timedelta(seconds=1))


def _line(order: Mapping[str, Any]) -> ChannelLine:
    quantity = int(order["num"])
    price = to_minor(order["price"], CURRENCY)
    platform_id = f"{order['num_iid']}:{order['sku_id']}" if order.get("sku_id") else str(order["num_iid"])
    # total_fee is what the line costs after its own promotions and the seller's price adjustment.
    payable = to_minor(order["total_fee"], CURRENCY) if order.get("total_fee") else price * quantity
    return ChannelLine(
        external_sku=order.get("outer_sku_id") or order.get("outer_iid") or platform_id, quantity=quantity,
        unit_price=price, discount=max(0, price * quantity - payable), external_item_id=platform_id,
        external_line_id=str(order["oid"]), title=order.get("title"),
    )


def _buyer(trade: Mapping[str, Any]) -> dict[str, Any]:
    return _present(name=trade.get("receiver_name") or trade.get("buyer_nick"),
                    phone=trade.get("receiver_mobile") or trade.get("receiver_phone"),
                    external_id=trade.get("buyer_open_uid"), nick=trade.get("buyer_nick"))


def _address(trade: Mapping[str, Any]) -> dict[str, Any]:
    # receiver_country is a free-text nationality, empty for the domestic trades TOP serves.
    country = trade.get("receiver_country")
    return _present(
        country=country if country and len(country) == 2 and country.isascii() else "CN",
        province=trade.get("receiver_state"),
        # A county-level city directly under a province comes in receiver_district alone (Trade.go).
        city=trade.get("receiver_city") or trade.get("receiver_district"),
        district=trade.get("receiver_district") if trade.get("receiver_city") else None,
        town=trade.get("receiver_town"), line1=trade.get("receiver_address"), postal_code=trade.get("receiver_zip"),
    )


def _messages(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """One TMC message, or each of a taobao.tmc.messages.consume response."""
    consumed = document.get("tmc_messages_consume_response")
    return (consumed.get("messages") or {}).get("tmc_message", []) if consumed else [document]


def _content(message: Mapping[str, Any]) -> Mapping[str, Any]:
    content = message.get("content") or {}
    return json.loads(content) if isinstance(content, str) else content


def _refunded_sku(refund: Mapping[str, Any]) -> str:
    # `sku` reads "<sku_id>|<properties>"; the listing's platform id is "num_iid:sku_id", as order lines have it.
    sku_id = str(refund.get("sku") or "").partition("|")[0]
    return refund.get("outer_id") or (f"{refund['num_iid']}:{sku_id}" if sku_id else str(refund["num_iid"]))


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _reference(message: Mapping[str, Any]) -> OrderReference:
    content = _content(message)
    return OrderReference(str(content["tid"]), beijing_time(content.get("modified") or message.get("pub_time")))


def _listing(push: StockPush | ListingRef) -> tuple[str, str]:
    """(num_iid, sku_id) from the listing's "num_iid:sku_id"; an item without SKUs has no sku_id."""
    if not push.external_item_id:
        raise ValueError(f"Taobao stock for {push.external_sku} needs the listing's num_iid:sku_id")
    num_iid, _, sku_id = push.external_item_id.partition(":")
    return num_iid, sku_id


def _answer(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    if "error_response" in payload:
        error = payload["error_response"]
        raise UnreadablePayload(f"TOP answered {error.get('code')} {error.get('sub_code')}: {error.get('msg')}")
    return payload.get(name, payload)


def _tid(trade: Mapping[str, Any]) -> str:
    return str(trade.get("tid_str") or trade["tid"])


def _status(platform_status: str) -> str:
    if platform_status not in STATUSES:
        raise UnreadablePayload(f"unknown Taobao trade status {platform_status!r}")
    return STATUSES[platform_status]


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "")}
