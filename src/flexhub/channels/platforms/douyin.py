"""`douyin`: 抖店 (Douyin shop, op.jinritemai.com) — orders in, stock and shipments out.

API calls (official Go SDK, zsmhub/doudian-sdk mirror, core/doudian_op_api_client.go and
utils/sign_util.go): `POST {base}/{method with / for .}` with `app_key, method, timestamp (unix s),
v=2, sign_method, sign, access_token` in the query and `param_json` as the body. `param_json` is
the business parameters as compact JSON with keys sorted and nothing escaped; the sign is
`hmac_sha256_hex(app_secret, app_secret + "app_key"… + "method"… + "param_json"… + "timestamp"… +
"v2" + app_secret)` (`sign_method=hmac-sha256`, the SDK's) or the md5 of the same string.

Pushes (消息推送, message/doudian_sign.go of the same mirror): the body is a JSON array of
`{tag, msg_id, data}` with `data` a JSON string naming the parent order `p_id`; the `event-sign`
header is `md5(app_key + body + app_secret)`. A push only names an order: it becomes an
`OrderReference` and the order itself comes from `order.orderDetail` / `order.searchList`.
After-sale: a tag 200 push (doudian_refund_RefundCreated, 买家发起售后申请) names the case by `aftersale_id`
(`parse_returns` → `ReturnReference`); afterSale/Detail (after_sale_id, one a call) gives it whole:
process_info.after_sale_info (after_sale_type, need_return_count, reason, apply_time) and order_info
(shop_order_id, sku_order_infos with shop_sku_code and after_sale_item_count). Goods come back for a
退货退款 (type 0) or 换货 (3) case; 仅退款 (1), 发货前退款 (2) and the rest open no RMA. Built from the SDK's
documented response fields (zsmhub/doudian-sdk api/afterSale_Detail), no published sample.

Stock push: sku.syncStockBatch sets the SKUs of one product in a call (product_id, sku_sync_list of {sku_id,
sku_type 0 普通库存, stock_num}, incremental false), all or none: one wrong sku_id refuses the call (抖店 open
platform /sku/syncStockBatch, its parameters as the 抖店 API gateways document them, e.g. doc.fw199.com
"库存批量同步接口"; the official page is behind the console). A SKU known only by code, one with a 区域库存
warehouse, or a product with a single SKU waiting goes alone by sku.syncStock.
Stock read (reconciliation): sku.detail (one sku_id a call), its data's `stock_num`; the answer is
built from the documented field names, not a published sample.
Item references: a line's `external_item_id` is "<product_id>:<sku_id>", the platform's own ids,
which is what stock pushes want back; a bare id is taken as the sku_id.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
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
from flexhub.channels.platforms.fields import fen as _fen
from flexhub.channels.platforms.fields import present as _present
from flexhub.channels.platforms.fields import utc_seconds as _utc
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex, md5_hex, same
from flexhub.kernel import clock

BASE_URL = "https://openapi-fxg.jinritemai.com"
SUCCESS = 10000  # the `code` of a successful call
PAGE_SIZE = 100  # order.searchList: "单页大小，限制100以内"
SIGN_HEADER = "event-sign"
AFTERSALE_TAGS = ("200",)  # doudian_refund_RefundCreated: the buyer opened an after-sale case
GOODS_BACK_TYPES = {0, 3}  # after_sale_type: 0 售后退货退款, 3 换货 (1 仅退款, 2 发货前退款… bring nothing back)

# order_status (order.searchList / orderDetail docs in the SDK): 1 待确认/待支付, 105 已支付, 2 备货中,
# 101 部分发货, 3 已发货(全部发货), 4 已取消, 5 已完成(已收货); main_status adds 103 部分支付.
STATUSES = {1: "unpaid", 103: "unpaid", 105: "paid", 2: "paid", 101: "paid", 3: "shipped", 4: "cancelled",
            5: "delivered"}
REFUNDED = {21, 22, 39}  # main_status: 发货前/发货后/收货后退款完结
PRESALE_TYPES = {1, 2}  # pre_sale_type: 1 全款预售, 2 阶梯发货 (0 现货)


# The hub's carriers by Douyin's company_code. order.logisticsAdd takes "(必填)物流公司code, 可从
# /order/logisticsCompanyList接口获取" (the official SDK, zsmhub/doudian-sdk api/order_logisticsAdd; the list answers
# {id, name, code}); the list itself is served to a shop's app only (op.jinritemai.com console), so these codes are
# as 抖店 integrations show them — 快递100's company codes. A carrier not here is taken as Douyin's own code already;
# one Douyin does not know is refused with isv.business-failed:60018 (暂不支持该物流公司), shown on the notice.
COMPANY_CODES = {"sf_express": "shunfeng", "zto": "zhongtong", "jd_logistics": "jd"}
BATCH = 50  # figures a turn hands to stock_requests at once


class DouyinAdapter:
    platform: ClassVar[str] = "douyin"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "access_token")
    # No per-API QPS is published in the material we could read; a conservative bucket. stock_batch: the figures a
    # turn hands over at once, one call per product among them (sku.syncStockBatch).
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10, stock_batch=BATCH)
    capabilities: ClassVar[frozenset[str]] = frozenset({
        "order_details", "return_requests", "return_details", "answer_errors", "order_limit"})
    # 抖店 limits each API on its own (QPS per API and app): order details do not spend the stock calls' budget.
    order_rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        if headers.get("sign-method", "md5").lower() != "md5":
            # Only the MD5 event-sign is documented in what we could read; refuse rather than guess.
            raise SignatureInvalid(f"unsupported sign-method {headers.get('sign-method')!r}")
        expected = md5_hex(credentials["app_key"].encode() + body + credentials["app_secret"].encode())
        given = headers.get(SIGN_HEADER)
        if not same(expected, given.lower() if given else None):  # hex; its case is not significant
            raise SignatureInvalid(f"{SIGN_HEADER} does not match the body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        references = []
        for message in json.loads(body):
            data = message.get("data")
            data = json.loads(data) if isinstance(data, str) else (data or {})
            if data.get("p_id"):  # tag "0" (the console's test push) and non-order messages name none
                references.append(OrderReference(str(data["p_id"]), _first_time(data)))
        return references

    def parse_returns(self, headers: Mapping[str, str], body: bytes) -> list[ReturnReference]:
        """The after-sale cases a push announces (tag 200), named only."""
        named = []
        for message in json.loads(body):
            data = message.get("data")
            data = json.loads(data) if isinstance(data, str) else (data or {})
            if str(message.get("tag")) in AFTERSALE_TAGS and data.get("aftersale_id"):
                named.append(ReturnReference(str(data["aftersale_id"])))
        return named

    def return_detail_requests(self, credentials: Mapping[str, str], case_ids: Sequence[str]) -> list[ApiRequest]:
        """afterSale.Detail, one case a call."""
        return [self.call(credentials, "afterSale.Detail", {"after_sale_id": case_id}) for case_id in case_ids]

    def parse_return_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        _raise_for_error(payload)
        return [payload["data"]]

    def parse_return(self, payload: Mapping[str, Any]) -> ChannelReturn:
        case = payload["process_info"]["after_sale_info"]
        order = payload.get("order_info") or {}
        skus = order.get("sku_order_infos") or []
        back = case.get("after_sale_type") in GOODS_BACK_TYPES
        if len(skus) == 1:  # a case on one item: what the buyer must send back (applied for less what was unsent)
            units = [int(case.get("need_return_count") or skus[0].get("after_sale_item_count") or 0)]
        else:
            units = [int(sku.get("after_sale_item_count") or 0) for sku in skus]
        lines = tuple((_case_sku(sku), count) for sku, count in zip(skus, units, strict=True) if count > 0)
        return ChannelReturn(external_id=str(case["after_sale_id"]), order_external_id=str(order["shop_order_id"]),
                             lines=lines if back else (), reason=case.get("reason") or None,
                             requested_at=_utc(case.get("apply_time")))

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        order = _unwrap(payload)
        skus = order.get("sku_order_list") or []
        return ChannelOrder(
            external_id=str(order["order_id"]), status=_status(order), platform_status=_platform_status(order),
            currency="CNY", lines=tuple(_line(sku) for sku in skus), buyer=_buyer(order),
            shipping_address=_address(order), shipping_fee=_fen(order.get("post_amount")),
            placed_at=_utc(order.get("create_time")), updated_at=_utc(order.get("update_time")),
            presale=any(sku.get("pre_sale_type") in PRESALE_TYPES for sku in skus),
            live_room=_first(skus, "room_id_str", "room_id"), streamer=_first(skus, "author_name", "author_id"),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        # The window's end is inclusive at the platform; one second less keeps [since, until) half-open.
        end = until - timedelta(seconds=1)
        return self.call(credentials, "order.searchList", {
            "update_time_start": int(since.timestamp()), "update_time_end": int(end.timestamp()),
            "order_by": "update_time", "order_asc": True, "page": int(cursor or 0), "size": PAGE_SIZE})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        _raise_for_error(payload)
        data = payload.get("data") or {}
        orders = tuple(data.get("shop_order_list") or [])
        page, size, total = int(data.get("page") or 0), int(data.get("size") or PAGE_SIZE), int(data.get("total") or 0)
        more = bool(orders) and (page + 1) * size < total
        return OrdersPage(orders, str(page + 1) if more else None)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        """sku.syncStockBatch for each product with several SKUs waiting, sku.syncStock for the rest; always
        `incremental: false` (a set, not a change)."""
        by_product: dict[int, list[StockPush]] = {}
        alone = []
        for push in pushes:
            product_id, sku_id = _item_ref(push.external_item_id)
            if product_id and sku_id and not push.location_id:
                by_product.setdefault(product_id, []).append(push)
            else:
                alone.append(push)
        requests = []
        for product_id, grouped in by_product.items():
            if len(grouped) == 1:
                alone += grouped
                continue
            requests.append(self.call(credentials, "sku.syncStockBatch", {
                "product_id": product_id, "incremental": False,
                "sku_sync_list": [{"sku_id": _item_ref(push.external_item_id)[1], "sku_type": 0,
                                   "stock_num": max(0, push.quantity)} for push in grouped]}))
        return requests + [self.call(credentials, "sku.syncStock", _stock_params(push)) for push in alone]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        reads = []
        for ref in listings:
            _, sku_id = _item_ref(ref.external_item_id)
            params = {"sku_id": sku_id} if sku_id else {"code": ref.external_sku}
            reads.append(StockRead(self.call(credentials, "sku.detail", params), (ref,)))
        return reads

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        _raise_for_error(payload)
        data = payload.get("data") or {}
        found = [ref for ref in listings if str(data.get("id")) == str(_item_ref(ref.external_item_id)[1])
                 or data.get("code") == ref.external_sku]
        return {ref.external_sku: int(data["stock_num"]) for ref in found if data.get("stock_num") is not None}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """order.logisticsAdd: the whole order; `carrier` is the hub's carrier (sf_express → "shunfeng") or Douyin's
        own company_code (from /order/logisticsCompanyList); split parcels use other calls."""
        return self.call(credentials, "order.logisticsAdd", {
            "order_id": notice.external_id, "company_code": COMPANY_CODES.get(notice.carrier, notice.carrier),
            "logistics_code": notice.tracking_number})

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """order.orderDetail, one order a call: the orders `OrderReference`s name."""
        return [self.call(credentials, "order.orderDetail", {"shop_order_id": external_id})
                for external_id in external_ids]

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        _raise_for_error(payload)
        return [_unwrap(payload)]

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """Douyin answers HTTP 200 even when a call failed; the body's `code` says so."""
        return response_error(payload)

    def call(self, credentials: Mapping[str, str], method: str, params: Mapping[str, Any]) -> ApiRequest:
        body = param_json(params)
        timestamp = str(int(clock.now().timestamp()))
        sign_method = credentials.get("sign_method", "hmac-sha256")
        query = {"app_key": credentials["app_key"], "method": method, "timestamp": timestamp, "v": "2",
                 "sign_method": sign_method, "access_token": credentials["access_token"],
                 "sign": sign(credentials["app_key"], credentials["app_secret"], method, body, timestamp, sign_method)}
        url = f"{credentials.get('base_url', BASE_URL)}/{method.replace('.', '/')}"
        return ApiRequest("POST", url, headers={"content-type": "application/json"}, params=query,
                          content=body.encode())


def response_error(payload: Mapping[str, Any]) -> str | None:
    if payload.get("code") in (None, SUCCESS):
        return None
    return f"douyin {payload.get('code')} {payload.get('msg')}: {payload.get('sub_code')} {payload.get('sub_msg')}"


def param_json(params: Mapping[str, Any]) -> str:
    """Keys sorted at every level, no spaces, nothing escaped (the SDK's utils.Marshal)."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(app_key: str, app_secret: str, method: str, body: str, timestamp: str, sign_method: str) -> str:
    pattern = f"{app_secret}app_key{app_key}method{method}param_json{body}timestamp{timestamp}v2{app_secret}"
    if sign_method == "md5":
        return md5_hex(pattern)
    if sign_method == "hmac-sha256":
        return hmac_sha256_hex(app_secret, pattern)
    raise ValueError(f"douyin sign_method is md5 or hmac-sha256, not {sign_method!r}")


def _stock_params(push: StockPush) -> dict[str, Any]:
    product_id, sku_id = _item_ref(push.external_item_id)
    # A listing cannot show less than nothing; an oversold figure goes out as 0.
    params: dict[str, Any] = {"incremental": False, "stock_num": max(0, push.quantity)}
    if sku_id:
        params["sku_id"] = sku_id
    else:
        params["code"] = push.external_sku  # the seller's SKU code, when no platform ids are known
    if product_id:
        params["product_id"] = product_id
    if push.location_id:
        params["out_warehouse_id"] = push.location_id  # 区域库存: the warehouse's out_warehouse_id
    if push.idempotency_key:
        params["idempotent_id"] = push.idempotency_key
    return params


def _item_ref(reference: str | None) -> tuple[int | None, int | None]:
    if not reference:
        return None, None
    product, _, sku = reference.rpartition(":")
    return (int(product) if product else None), int(sku)


def _case_sku(sku: Mapping[str, Any]) -> str:
    """An after-sale item's seller SKU code, else the platform sku_id, as order lines name theirs."""
    return _present(sku.get("shop_sku_code")) or str(sku["sku_id"])


def _unwrap(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accepts a shop order (as order.searchList lists them) or order.orderDetail's whole answer."""
    if "data" in payload:
        _raise_for_error(payload)
        payload = payload["data"]
    return payload.get("shop_order_detail", payload)


def _raise_for_error(payload: Mapping[str, Any]) -> None:
    if error := response_error(payload):
        raise ValueError(error)


def _status(order: Mapping[str, Any]) -> str:
    if order.get("main_status") in REFUNDED:
        return "refunded"
    code = order.get("order_status")
    if code not in STATUSES:
        raise ValueError(f"unknown douyin order_status {code!r}")
    return STATUSES[code]


def _platform_status(order: Mapping[str, Any]) -> str:
    return " ".join(str(p) for p in (order.get("order_status"), order.get("order_status_desc")) if p not in (None, ""))


def _line(sku: Mapping[str, Any]) -> ChannelLine:
    seller_sku = _present(sku.get("out_sku_id")) or _present(sku.get("code")) or str(sku["sku_id"])
    return ChannelLine(
        external_sku=seller_sku, quantity=int(sku["item_num"]), unit_price=_fen(sku.get("origin_amount")),
        discount=_fen(sku.get("promotion_amount")), external_item_id=f"{sku.get('product_id')}:{sku.get('sku_id')}",
        external_line_id=str(sku["order_id"]), title=sku.get("product_name"),
    )


def _buyer(order: Mapping[str, Any]) -> dict[str, Any]:
    """Masked values as the platform gives them; its ciphertexts kept beside, never decrypted here."""
    buyer = {"name": order.get("mask_post_receiver") or order.get("post_receiver"),
             "phone": order.get("mask_post_tel"),  # post_tel may hold ciphertext, too long for a phone
             "external_id": order.get("doudian_open_id"),
             "encrypted_name": order.get("encrypt_post_receiver"), "encrypted_phone": order.get("encrypt_post_tel")}
    return {k: v for k, v in buyer.items() if v not in (None, "")}


def _address(order: Mapping[str, Any]) -> dict[str, Any]:
    post, masked = order.get("post_addr") or {}, order.get("mask_post_addr") or {}
    address = {"country": "CN", "province": _name(post, "province"), "city": _name(post, "city"),
               "district": _name(post, "town"), "street": _name(post, "street"),
               "line1": masked.get("detail") or post.get("detail"), "encrypted_line1": post.get("encrypt_detail")}
    return {k: v for k, v in address.items() if v not in (None, "")}


def _name(address: Mapping[str, Any], part: str) -> str | None:
    return (address.get(part) or {}).get("name")


def _first(skus: Sequence[Mapping[str, Any]], *keys: str) -> str | None:
    """The first set value among the lines (live room, streamer: only live-room and showcase orders carry them)."""
    for sku in skus:
        for key in keys:
            if value := _present(sku.get(key)):
                return value
    return None


def _first_time(data: Mapping[str, Any]) -> datetime | None:
    for key in ("update_time", "modify_time", "cancel_time", "complete_time", "pay_time", "create_time"):
        if isinstance(data.get(key), int):
            return _utc(data[key])
    return None
