"""`wechat`: 微信小店 / 视频号小店 (WeChat Channels shop) — orders in, stock and shipments out.

API calls: `POST https://api.weixin.qq.com/channels/ec/...?access_token=…` with a JSON body; the
answer's `errcode` is 0 on success. The access_token (2 h) is refreshed outside this module.

Pushes (消息推送, developers.weixin.qq.com "消息推送" / "消息加解密说明"): WeChat signs in the URL
query, not in headers, so the webhook entrypoint must hand the query parameters in `headers`:
`signature`, `timestamp`, `nonce`, and in safe mode (安全模式) `encrypt_type=aes` and
`msg_signature`. Plain mode (and the GET URL check with `echostr`) signs only
`sha1(sorted [token, timestamp, nonce])`, so the body is not covered; safe mode signs the
ciphertext too, `sha1(sorted [token, timestamp, nonce, Encrypt])`, and `Encrypt` is
Base64(AES-256-CBC(random 16 B + length 4 B big-endian + message + appid)) keyed with
Base64_Decode(EncodingAESKey + "="), IV its first 16 bytes, PKCS#7 padded to 32-byte blocks.
`open_webhook` verifies and decrypts; `parse_webhook` reads the opened JSON message (the push
configuration must choose the JSON data format; XML envelopes are not read here).

Stock read (reconciliation): /channels/ec/product/stock/get {product_id, sku_id}, one SKU a call;
its data's `normal_stock_num` is the stock diff_type 3 sets (built from the documented fields).
Item references: a line's `external_item_id` (and `external_line_id`, for shipments) is
"<product_id>:<sku_id>", the platform's ids, which stock updates and shipments need back.
"""

import base64
import binascii
import json
import struct
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

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
from flexhub.channels.platforms.fields import utc_seconds as _utc
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, same, sha1_hex

BASE_URL = "https://api.weixin.qq.com"
PAGE_SIZE = 100  # /channels/ec/order/list/get: page_size 1–100
SET_STOCK = 3  # /channels/ec/product/stock/update diff_type: 1 add, 2 subtract, 3 set
EXPRESS = 1  # delivery/send deliver_type: 1 自寄快递 (the seller's own courier)
# The hub's carriers by WeChat's delivery_id (/channels/ec/order/deliverycompanylist/get); another value is taken as
# WeChat's own code already.
DELIVERY_IDS = {"sf_express": "SF", "jd_logistics": "JD", "zto": "ZTO", "dhl": "DHL"}

# Order.status (/channels/ec/order/get): 10 待付款, 12 礼物待收下, 13 凑单买凑团中, 20 待发货,
# 21 部分发货, 30 待收货, 100 完成, 200 全部商品售后之后订单取消, 250 未付款用户主动取消或超时未付款订单自动取消.
# 12 and 13 are paid but not yet shippable (no receiver / no group yet); they still hold stock.
STATUSES = {10: "unpaid", 12: "paid", 13: "paid", 20: "paid", 21: "paid", 30: "shipped", 100: "delivered",
            200: "refunded", 250: "cancelled"}


class WechatAdapter:
    platform: ClassVar[str] = "wechat"
    credential_fields: ClassVar[tuple[str, ...]] = ("appid", "appsecret", "access_token", "token", "encoding_aes_key")
    # No per-second limit is published for these calls (only daily quotas, /cgi-bin/openapi/quota/get);
    # a conservative bucket, one SKU per stock call as the API takes.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10, stock_batch=1)
    capabilities: ClassVar[frozenset[str]] = frozenset({
        "order_details", "sealed_pushes", "timed_pushes", "nonced_pushes", "answer_errors", "order_limit"})
    # WeChat's quotas are per API (a minute's quota each, errcode 45011 past it): order details count apart.
    order_rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    stock_by_difference: ClassVar[bool] = False

    # WeChat signs the push's `timestamp` but publishes no window; five minutes either way, as its own
    # sample servers and most SDKs allow, refuses a captured push replayed later (inbound.check_fresh), and its
    # signed `nonce` seen again within them refuses one replayed sooner (inbound.signed_nonce).
    freshness: ClassVar[timedelta] = timedelta(minutes=5)

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        self.open_webhook(credentials, headers, body)

    def signed_at(self, headers: Mapping[str, str]) -> datetime | None:
        """When WeChat says it sent the push (the signed `timestamp`, Unix seconds), or None if unreadable."""
        try:
            return datetime.fromtimestamp(int(headers.get("timestamp") or ""), UTC)
        except (ValueError, OverflowError, OSError):
            return None

    def signed_nonce(self, headers: Mapping[str, str]) -> str | None:
        """The push's signed `nonce`: seen again on the channel within the freshness window, the push is a replay."""
        return headers.get("nonce") or None

    def open_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> bytes:
        """The message as plain JSON, or SignatureInvalid. In safe mode it is decrypted and must
        name our appid; in plain mode only the token-signed query is checked."""
        signed = [credentials["token"], headers.get("timestamp"), headers.get("nonce")]
        if headers.get("encrypt_type") != "aes":
            _check(signed, headers.get("signature"))
            return body
        envelope = _json(body)
        encrypted = envelope.get("Encrypt") if isinstance(envelope, dict) else None
        if not isinstance(encrypted, str):
            raise SignatureInvalid("the push lacks its timestamp, nonce or Encrypt")
        _check([*signed, encrypted], headers.get("msg_signature"))
        try:
            message, appid = decrypt(credentials["encoding_aes_key"], encrypted)
        except (binascii.Error, ValueError, struct.error) as error:
            raise SignatureInvalid("Encrypt does not decrypt with this channel's EncodingAESKey") from error
        if appid != credentials["appid"].encode():
            raise SignatureInvalid("the message is for another appid")
        return message

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        """Reads an opened JSON message; order events (channels_ec_order_*) name the order to fetch."""
        message = _json(body)
        if not isinstance(message, dict) or "Encrypt" in message:
            raise ValueError("wechat safe-mode pushes are encrypted: open them with open_webhook before parsing")
        order_id = (message.get("order_info") or {}).get("order_id")
        if not order_id:
            return []
        return [OrderReference(str(order_id), _utc(message.get("CreateTime")))]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        _raise_for_error(payload)
        order = payload.get("order", payload)
        if "order_detail" not in order:
            listed = order.get("order_id") or order.get("external_id")
            raise ValueError(f"wechat order {listed} has no detail: fetch it with detail_requests")
        detail = order["order_detail"]
        products = detail.get("product_infos") or []
        ext = detail.get("ext_info") or {}
        address = (detail.get("delivery_info") or {}).get("address_info") or {}
        per_line = any("estimate_price" in product for product in products)
        return ChannelOrder(
            external_id=str(order["order_id"]), status=_status(order), platform_status=str(order.get("status")),
            currency="CNY", lines=tuple(_line(product) for product in products), buyer=_buyer(order, address),
            shipping_address=_address(address), shipping_fee=_fen((detail.get("price_info") or {}).get("freight")),
            # Discounts sit on the lines when the platform splits them (estimate_price), else on the order.
            order_discount=0 if per_line else _fen((detail.get("price_info") or {}).get("discounted_price")),
            placed_at=_utc(order.get("create_time")), updated_at=_utc(order.get("update_time")),
            live_room=_present(ext.get("live_id")), streamer=_present(ext.get("finder_id")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        """/channels/ec/order/list/get by update time. It answers with order ids only: each
        needs `detail_requests` for the order itself."""
        end = until - timedelta(seconds=1)  # keeps [since, until) half-open at the platform
        body: dict[str, Any] = {"update_time_range": {"start_time": int(since.timestamp()),
                                                      "end_time": int(end.timestamp())},
                                "page_size": PAGE_SIZE}
        if cursor:
            body["next_key"] = cursor
        return self.call(credentials, "/channels/ec/order/list/get", body)

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        """The page's orders as `{"external_id": …}` only (the list carries no more); see `detail_requests`."""
        _raise_for_error(payload)
        ids = payload.get("order_id_list") or []
        more = payload.get("has_more") and ids and payload.get("next_key")
        listed = tuple({"external_id": str(order_id)} for order_id in ids)
        return OrdersPage(listed, payload["next_key"] if more else None)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        """/channels/ec/product/stock/update with diff_type 3 (set), one SKU a call."""
        return [self.call(credentials, "/channels/ec/product/stock/update", {
            **_item_ref(push.external_item_id), "diff_type": SET_STOCK, "num": max(0, push.quantity)})
            for push in pushes]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        return [StockRead(self.call(credentials, "/channels/ec/product/stock/get", _item_ref(ref.external_item_id)),
                          (ref,)) for ref in listings]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        _raise_for_error(payload)
        stock = (payload.get("data") or {}).get("normal_stock_num")
        return {} if stock is None or len(listings) != 1 else {listings[0].external_sku: int(stock)}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """/channels/ec/order/delivery/send. `carrier` is the hub's carrier (sf_express → "SF") or WeChat's own
        delivery_id (from /channels/ec/order/deliverycompanylist/get); the parcel's lines must be given
        as ("<product_id>:<sku_id>", quantity), since the platform wants them listed."""
        if not notice.lines:
            raise ValueError("wechat delivery/send lists the shipped products: give the notice its lines")
        products = [{**_item_ref(line), "product_cnt": quantity} for line, quantity in notice.lines]
        return self.call(credentials, "/channels/ec/order/delivery/send", {"order_id": notice.external_id,
                         "delivery_list": [{"delivery_id": DELIVERY_IDS.get(notice.carrier, notice.carrier),
                                            "waybill_id": notice.tracking_number,
                                            "deliver_type": EXPRESS, "product_infos": products}]})

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """/channels/ec/order/get, one order a call: the orders a list page or an `OrderReference` names."""
        return [self.call(credentials, "/channels/ec/order/get", {"order_id": external_id})
                for external_id in external_ids]

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        _raise_for_error(payload)
        return [payload["order"]]

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """WeChat answers HTTP 200 even when a call failed; `errcode` 0 is success."""
        return response_error(payload)

    def call(self, credentials: Mapping[str, str], path: str, body: Mapping[str, Any]) -> ApiRequest:
        return ApiRequest("POST", f"{credentials.get('base_url', BASE_URL)}{path}",
                          params={"access_token": credentials["access_token"]}, json=dict(body))


def decrypt(encoding_aes_key: str, encrypted: str) -> tuple[bytes, bytes]:
    """(message, appid) from a safe-mode `Encrypt`; ValueError when it is not one."""
    key = base64.b64decode(encoding_aes_key + "=", validate=True)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted, validate=True)) + decryptor.finalize()
    pad = plain[-1] if plain else 0
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad PKCS#7 padding")
    plain = plain[:-pad]
    (length,) = struct.unpack(">I", plain[16:20])
    if 20 + length > len(plain):
        raise ValueError("the message length runs past the plain text")
    return plain[20:20 + length], plain[20 + length:]


def response_error(payload: Mapping[str, Any]) -> str | None:
    if payload.get("errcode") in (None, 0):
        return None
    return f"wechat {payload.get('errcode')} {payload.get('errmsg')}"


def _check(signed: list[Any], given: str | None) -> None:
    if not all(isinstance(part, str) for part in signed):
        raise SignatureInvalid("the push lacks its timestamp, nonce or Encrypt")
    if not same(sha1_hex("".join(sorted(signed))), given):
        raise SignatureInvalid("the signature does not match this channel's token")


def _raise_for_error(payload: Mapping[str, Any]) -> None:
    if error := response_error(payload):
        raise ValueError(error)


def _status(order: Mapping[str, Any]) -> str:
    if order.get("status") not in STATUSES:
        raise ValueError(f"unknown wechat order status {order.get('status')!r}")
    return STATUSES[order["status"]]


def _line(product: Mapping[str, Any]) -> ChannelLine:
    reference = f"{product.get('product_id')}:{product.get('sku_id')}"
    quantity, unit_price = int(product["sku_cnt"]), _fen(product.get("sale_price"))
    estimate = product.get("estimate_price")  # 优惠后 SKU 总价: the line after its discounts
    return ChannelLine(
        external_sku=product.get("out_sku_id") or product.get("sku_code") or str(product["sku_id"]),
        quantity=quantity, unit_price=unit_price,
        discount=max(0, unit_price * quantity - _fen(estimate)) if estimate is not None else 0,
        external_item_id=reference, external_line_id=reference, title=product.get("title"),
    )


def _buyer(order: Mapping[str, Any], address: Mapping[str, Any]) -> dict[str, Any]:
    """As the platform gives them: names and numbers may be masked or virtual, never decrypted here."""
    phone = ((address.get("tel_number_ext_info") or {}).get("real_tel_number") or address.get("tel_number")
             or address.get("virtual_order_tel_number"))
    buyer = {"name": address.get("user_name"), "phone": phone, "external_id": order.get("openid"),
             "virtual_phone": address.get("virtual_order_tel_number")}
    return {k: v for k, v in buyer.items() if v not in (None, "")}


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    result = {"country": "CN", "province": address.get("province_name"), "city": address.get("city_name"),
              "district": address.get("county_name"), "line1": address.get("detail_info"),
              "line2": address.get("house_number"), "postal_code": address.get("postal_code"),
              "national_code": address.get("national_code")}
    return {k: v for k, v in result.items() if v not in (None, "")}


def _item_ref(reference: str | None) -> dict[str, str]:
    """{"product_id", "sku_id"} from "<product_id>:<sku_id>"; a bare id is taken as the sku_id."""
    if not reference:
        raise ValueError("wechat needs the listing's external_item_id '<product_id>:<sku_id>'")
    product_id, _, sku_id = reference.rpartition(":")
    return {"product_id": product_id, "sku_id": sku_id} if product_id else {"sku_id": sku_id}


def _json(body: bytes | str | None) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None
