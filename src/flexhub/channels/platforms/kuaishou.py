"""`kuaishou`: 快手小店 (open.kwaixiaodian.com) — orders in, stock and shipments out.

API calls (doc 401853 "API调用说明", ../shared/fixtures/channels/kuaishou_doc_api_call_and_sign.md.txt):
`{base}/open/x/y/z` for method `open.x.y.z`, with `appkey, method, version=1, param (the business
JSON), access_token, timestamp (ms), signMethod, sign`; POSTs are form-encoded with `param` in the
body. The sign is over `k=v&…` of those parameters sorted by name, plus `&signSecret=<sign_secret>`:
its MD5 in hex, or its HMAC-SHA256 keyed with the sign secret in Base64 (the doc's Java code).

Pushes (doc 401854 "消息服务说明"): the body is Base64 of AES/CBC/PKCS5Padding with a zero IV and the
app's message key (Base64, `message_private_key` here); the plain text is one message
`{eventId, bizId, appKey, event, info, createTime, test}`. There is no signature header: only the
key holder can produce a body that decrypts to our own `appKey`. `open_webhook` decrypts;
`parse_webhook` reads the opened message and names the order (`OrderReference`).

Stock read (reconciliation, and the figure a difference starts from): open.item.sku.list.get
{kwaiItemId}, one item a call; `data` lists its SKUs with `kwaiSkuId` and `skuStock`. Its answer here
is built from the documented field names, not a published sample. `stock_by_difference` tells the
pusher to read before it pushes.
Item references: a line's `external_item_id` is "<itemId>:<skuId>", the platform's ids, which
open.item.sku.stock.update needs back (kwaiItemId, skuId); a bare id is taken as the skuId.
"""

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ListingRef,
    OrderReference,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.channels.platforms.fields import fen as _fen
from flexhub.channels.platforms.fields import present as _present
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_base64, md5_hex
from flexhub.kernel import clock

BASE_URL = "https://openapi.kwaixiaodian.com"
PAGE_SIZE = 100  # open.order.cursor.list: pageSize at most 100
LAST_PAGE = "nomore"  # the cursor the list answers with on its last page
HEARTBEAT = {"test": True}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # sent when the push URL is saved and as a heartbeat

# orderBaseInfo.status: [10 待付款] [30 已付款] [40 已发货] [50 已签收] [70 订单成功] [80 订单失败];
# "订单取消后会转为订单失败状态".
STATUSES = {10: "unpaid", 30: "paid", 40: "shipped", 50: "delivered", 70: "delivered", 80: "cancelled"}
# The hub's carriers by Kuaishou's expressCode (发货物流公司编码): the open platform's page "物流公司编号" (doc 401927,
# open.kwaixiaodian.com; mirrored in AndersonBY/kwaixiaodian-python-sdk, docs/开发指南和规则协议/开发文档/
# 物流公司编号.md): 顺丰速运 4, 中通快递 9, 京东 14, DHL中国件 20. Any other carrier must already be Kuaishou's number.
EXPRESS_CODES = {"sf_express": 4, "zto": 9, "jd_logistics": 14, "dhl": 20}


class KuaishouAdapter:
    platform: ClassVar[str] = "kuaishou"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "sign_secret", "access_token")
    # doc 401718 "API限流说明": open.order.cursor.list 300 QPS per app; item writes 100 per app and 50
    # per user. The stock call is not listed: we keep to the item writes' per-user 50.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=50, burst=50, stock_batch=1)
    capabilities: ClassVar[frozenset[str]] = frozenset({
        "order_details", "sealed_pushes", "answer_errors", "order_limit"})
    # doc 401718: order reads are limited apart from item writes (open.order.cursor.list 300 QPS per app).
    order_rate_limit: ClassVar[RateLimit] = RateLimit(per_second=300, burst=300)
    stock_by_difference: ClassVar[bool] = True

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        self.open_webhook(credentials, headers, body)

    def open_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> bytes:
        """The push's plain text, or SignatureInvalid when it does not decrypt to our own app's message."""
        if _json(body) == HEARTBEAT:
            return body  # carries nothing to act on; answered so the platform keeps the URL
        try:
            cipher_text = base64.b64decode(body.strip(), validate=True)
            plain = decrypt(credentials["message_private_key"], cipher_text)
            message = json.loads(plain)
        except (binascii.Error, ValueError) as error:
            raise SignatureInvalid("the body does not decrypt with this channel's message key") from error
        if not isinstance(message, dict) or message.get("appKey", credentials["app_key"]) != credentials["app_key"]:
            raise SignatureInvalid("the message is for another app")
        return plain

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        """Reads the opened message (see `open_webhook`); order events name the order to fetch."""
        message = _json(body)
        if not isinstance(message, dict):
            raise ValueError("kuaishou pushes are encrypted: open them with open_webhook before parsing")
        if message.get("test") or not str(message.get("event", "")).startswith("kwaishop_order_"):
            return []
        info = message.get("info")
        info = json.loads(info) if isinstance(info, str) else (info or {})
        order_id = info.get("oid") or message.get("bizId")
        return [OrderReference(str(order_id), _utc_ms(info.get("updateTime") or message.get("createTime")))]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        detail = _unwrap(payload)
        base, item = detail["orderBaseInfo"], detail["orderItemInfo"]
        cps = detail.get("orderCpsInfo") or {}
        return ChannelOrder(
            external_id=str(base["oid"]), status=_status(base), platform_status=str(base.get("status")),
            currency="CNY", lines=(_line(item),), buyer=_buyer(base, detail.get("orderAddress") or {}),
            shipping_address=_address(detail.get("orderAddress") or {}), shipping_fee=_fen(base.get("expressFee")),
            order_discount=_fen(base.get("discountFee")), placed_at=_utc_ms(base.get("createTime")),
            updated_at=_utc_ms(base.get("updateTime")), presale=base.get("preSale") == 1,
            # Distribution (分销) orders name the promoting creator; live rooms are not in what we could read.
            streamer=cps.get("distributorName") or _present(cps.get("distributorId")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        """open.order.cursor.list by update time (queryType 2), oldest first; the platform allows
        windows of at most 7 days within the last 90."""
        end = until - timedelta(milliseconds=1)  # keeps [since, until) half-open at the platform
        return self.call(credentials, "GET", "open.order.cursor.list", {
            "orderViewStatus": 1, "queryType": 2, "sort": 1, "cpsType": 0, "pageSize": PAGE_SIZE,
            "beginTime": _ms(since), "endTime": _ms(end), "cursor": cursor or ""})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        _raise_for_error(payload)
        data = payload.get("data") or {}
        orders = tuple(data.get("orderList") or [])
        cursor = data.get("cursor")
        return OrdersPage(orders, cursor if orders and cursor and cursor != LAST_PAGE else None)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        """open.item.sku.stock.update changes stock by a difference (changeType 1 adds, 2 takes
        away), so `previous_quantity` must be the figure the platform shows now."""
        requests = []
        for push in pushes:
            if push.previous_quantity is None:
                raise ValueError(f"kuaishou stock changes by a difference: {push.external_sku} needs previous_quantity")
            difference = max(0, push.quantity) - push.previous_quantity
            if difference:
                item_id, sku_id = _item_ref(push.external_item_id)
                params = {"skuId": sku_id, "skuChangeStock": abs(difference), "changeType": 1 if difference > 0 else 2}
                if item_id:
                    params["kwaiItemId"] = item_id
                requests.append(self.call(credentials, "POST", "open.item.sku.stock.update", params))
        return requests

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        by_item: dict[int, list[ListingRef]] = {}
        for ref in listings:
            item_id, _ = _item_ref(ref.external_item_id)
            if item_id is None:
                raise ValueError(f"kuaishou stock reads need '<itemId>:<skuId>', not {ref.external_item_id}")
            by_item.setdefault(item_id, []).append(ref)
        return [StockRead(self.call(credentials, "GET", "open.item.sku.list.get", {"kwaiItemId": item_id}),
                          tuple(refs)) for item_id, refs in by_item.items()]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        _raise_for_error(payload)
        held = {int(sku["kwaiSkuId"]): int(sku["skuStock"]) for sku in payload.get("data") or ()
                if sku.get("skuStock") is not None}
        return {ref.external_sku: held[_item_ref(ref.external_item_id)[1]] for ref in listings
                if _item_ref(ref.external_item_id)[1] in held}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """open.seller.order.goods.deliver: the whole order ("只支持整单发货"); `carrier` is the hub's carrier
        (EXPRESS_CODES) or Kuaishou's numeric expressCode (物流公司编号)."""
        code = EXPRESS_CODES.get(notice.carrier)
        if code is None and not notice.carrier.isdigit():
            raise ValueError(f"kuaishou expressCode is a number, not {notice.carrier!r}")
        return self.call(credentials, "POST", "open.seller.order.goods.deliver", {
            "orderId": int(notice.external_id), "expressNo": notice.tracking_number,
            "expressCode": code if code is not None else int(notice.carrier)})

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """open.order.detail, one order a call: the orders `OrderReference`s name."""
        return [self.call(credentials, "GET", "open.order.detail", {"oid": int(external_id)})
                for external_id in external_ids]

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        _raise_for_error(payload)
        return [_unwrap(payload)]

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """Kuaishou answers HTTP 200 even when a call failed; `result` 1 is success."""
        return response_error(payload)

    def call(self, credentials: Mapping[str, str], http_method: str, method: str,
             params: Mapping[str, Any]) -> ApiRequest:
        param = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        query = {"appkey": credentials["app_key"], "method": method, "version": "1", "param": param,
                 "access_token": credentials["access_token"], "timestamp": str(_ms(clock.now())),
                 "signMethod": credentials.get("sign_method", "HMAC_SHA256")}
        query["sign"] = sign(query, credentials["sign_secret"])
        url = f"{credentials.get('base_url', BASE_URL)}/{method.replace('.', '/')}"
        if http_method == "GET":
            return ApiRequest("GET", url, params=query)
        body = urlencode({"param": query.pop("param")}).encode()  # "post请求，请将param参数放到body里"
        return ApiRequest("POST", url, headers={"content-type": "application/x-www-form-urlencoded"}, params=query,
                          content=body)


def sign(params: Mapping[str, str], sign_secret: str) -> str:
    text = "&".join(f"{name}={params[name]}" for name in sorted(params) if name != "sign")
    text += f"&signSecret={sign_secret}"
    method = params.get("signMethod")
    if method == "MD5":
        return md5_hex(text)
    if method == "HMAC_SHA256":
        return hmac_sha256_base64(sign_secret, text)
    raise ValueError(f"kuaishou signMethod is MD5 or HMAC_SHA256, not {method!r}")


def decrypt(message_key: str, cipher_text: bytes) -> bytes:
    """AES/CBC/PKCS5Padding, zero IV, the key Base64-decoded (doc 401854, PlatformEventSecurityUtil)."""
    key = base64.b64decode(message_key, validate=True)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).decryptor()
    padded = decryptor.update(cipher_text) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def response_error(payload: Mapping[str, Any]) -> str | None:
    if payload.get("result") in (None, 1):
        return None
    message = payload.get("error_msg") or payload.get("errorMsg") or payload.get("msg")
    return f"kuaishou {payload.get('result')} {message}: {payload.get('subCode')} {payload.get('subMsg')}"


def _raise_for_error(payload: Mapping[str, Any]) -> None:
    if error := response_error(payload):
        raise ValueError(error)


def _unwrap(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accepts an order of orderList, or open.order.detail's whole answer."""
    if "data" in payload:
        _raise_for_error(payload)
        return payload["data"]
    return payload


def _status(base: Mapping[str, Any]) -> str:
    if base.get("status") not in STATUSES:
        raise ValueError(f"unknown kuaishou order status {base.get('status')!r}")
    return STATUSES[base["status"]]


def _line(item: Mapping[str, Any]) -> ChannelLine:
    """A Kuaishou order holds one SKU; skuNick is the seller's code, relSkuId the seller's own id."""
    seller_sku = item.get("skuNick") or _present(item.get("relSkuId")) or str(item["skuId"])
    return ChannelLine(
        external_sku=seller_sku, quantity=int(item["num"]), unit_price=_fen(item.get("price")),
        external_item_id=f"{item.get('itemId')}:{item.get('skuId')}",
        external_line_id=_present(item.get("orderItemId")), title=item.get("itemTitle"),
    )


def _buyer(base: Mapping[str, Any], address: Mapping[str, Any]) -> dict[str, Any]:
    """Desensitised values as the platform gives them; its ciphertexts kept beside, never decrypted here."""
    buyer = {"name": address.get("desensitiseConsignee") or address.get("consignee") or base.get("buyerNick"),
             "phone": address.get("desensitiseMobile") or address.get("mobile"),
             "external_id": base.get("buyerOpenId"), "nickname": base.get("buyerNick"),
             "encrypted_name": address.get("encryptedConsignee"), "encrypted_phone": address.get("encryptedMobile")}
    return {k: v for k, v in buyer.items() if v not in (None, "")}


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    result = {"country": "CN", "province": address.get("province"), "city": address.get("city"),
              "district": address.get("district"), "street": address.get("town"),
              "line1": address.get("desensitiseAddress") or address.get("address"),
              "encrypted_line1": address.get("encryptedAddress")}
    return {k: v for k, v in result.items() if v not in (None, "")}


def _item_ref(reference: str | None) -> tuple[int | None, int]:
    if not reference:
        raise ValueError("kuaishou stock needs the listing's external_item_id '<itemId>:<skuId>'")
    item, _, sku = reference.rpartition(":")
    return (int(item) if item else None), int(sku)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None




def _ms(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)


def _utc_ms(milliseconds: Any) -> datetime | None:
    return datetime.fromtimestamp(int(milliseconds) / 1000, UTC) if milliseconds else None
