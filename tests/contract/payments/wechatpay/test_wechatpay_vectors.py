"""WeChat Pay API v3 on vectors made from our own keys (SOURCES.md): the prepay request's Authorization rebuilt
exactly and verifiable with the merchant's certificate; the JSAPI pay parameters; a payment notification verified
with the platform certificate and decrypted; a changed body, an unknown serial, a stale timestamp or a wrong APIv3
key refused."""

import json
from pathlib import Path

import pytest

from flexhub.integrations.signing import SignatureInvalid, rsa_sha256_verifies
from flexhub.stores.payments import wechatpay

HERE = Path(__file__).parent
SAMPLES = json.loads((HERE / "samples.json").read_text())


def merchant(**changes: object) -> wechatpay.Merchant:
    m = SAMPLES["merchant"]
    fields = {"mchid": m["mchid"], "appid": m["appid"], "serial_no": m["serial_no"],
              "private_key_pem": (HERE / "merchant_key.pem").read_text(), "api_v3_key": m["api_v3_key"],
              "platform_certificates": {m["platform_serial"]: (HERE / "platform_cert.pem").read_text()}}
    return wechatpay.Merchant(**{**fields, **changes})  # type: ignore[arg-type]


def test_the_prepay_request_is_signed_as_documented() -> None:
    sample = SAMPLES["jsapi_prepay"]
    body = json.loads(sample["body"])
    built = wechatpay.jsapi_prepay(merchant(), out_trade_no=body["out_trade_no"], description=body["description"],
                                   total=body["amount"]["total"], openid=body["payer"]["openid"],
                                   notify_url=body["notify_url"], timestamp=sample["timestamp"],
                                   nonce=sample["nonce"])
    assert (built.method, built.url, built.content.decode()) == (sample["method"], sample["url"], sample["body"])
    assert built.headers["Authorization"] == sample["headers"]["Authorization"]
    fields = wechatpay.parse_authorization(built.headers["Authorization"])
    message = f"POST\n/v3/pay/transactions/jsapi\n{sample['timestamp']}\n{sample['nonce']}\n{sample['body']}\n"
    assert rsa_sha256_verifies((HERE / "merchant_cert.pem").read_text(), fields["signature"], message)
    assert not rsa_sha256_verifies((HERE / "platform_cert.pem").read_text(), fields["signature"], message)


def test_the_jsapi_pay_parameters_are_signed_over_four_lines() -> None:
    params = SAMPLES["pay_params"]
    again = wechatpay.jsapi_pay_params(merchant(), params["package"].removeprefix("prepay_id="),
                                       timestamp=int(params["timeStamp"]), nonce=params["nonceStr"])
    assert again == params and params["signType"] == "RSA"
    message = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    assert rsa_sha256_verifies((HERE / "merchant_cert.pem").read_text(), params["paySign"], message)


def test_a_payment_notification_is_verified_and_decrypted() -> None:
    sample = SAMPLES["transaction_notification"]
    read = wechatpay.read_notification(merchant(), sample["headers"], sample["body"], now=sample["received_at"])
    assert read.event_type == wechatpay.PAID and read.id == "EV-2018022511223320873"
    assert read.resource == sample["resource"]
    assert read.resource["amount"]["total"] == 9900 and read.resource["out_trade_no"] == "S20251205000001"


@pytest.mark.parametrize("spoil", ["body", "signature", "serial", "stale", "missing"])
def test_a_notification_not_signed_by_the_platform_is_refused(spoil: str) -> None:
    sample = SAMPLES["transaction_notification"]
    headers, body, now = dict(sample["headers"]), sample["body"], sample["received_at"]
    if spoil == "body":
        body = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ")
    elif spoil == "signature":
        headers["Wechatpay-Signature"] = headers["Wechatpay-Signature"][::-1]
    elif spoil == "serial":
        headers["Wechatpay-Serial"] = "0" * 40
    elif spoil == "stale":
        now += wechatpay.MAX_SKEW_S + 1
    else:
        del headers["Wechatpay-Signature"]
    with pytest.raises(SignatureInvalid):
        wechatpay.read_notification(merchant(), headers, body, now=now)


def test_a_wrong_apiv3_key_cannot_read_the_resource() -> None:
    sample = SAMPLES["transaction_notification"]
    with pytest.raises(wechatpay.UnreadableNotification):
        wechatpay.read_notification(merchant(api_v3_key="x" * 32), sample["headers"], sample["body"],
                                    now=sample["received_at"])


def test_the_refund_request_is_signed_as_documented() -> None:
    sample = SAMPLES["refund_request"]
    body = json.loads(sample["body"])
    built = wechatpay.refund(merchant(), out_trade_no=body["out_trade_no"], out_refund_no=body["out_refund_no"],
                             amount=body["amount"]["refund"], total=body["amount"]["total"], reason=body["reason"],
                             notify_url=body["notify_url"], timestamp=sample["timestamp"], nonce=sample["nonce"])
    assert (built.method, built.url, built.content.decode()) == (sample["method"], sample["url"], sample["body"])
    assert built.url.endswith("/v3/refund/domestic/refunds")
    fields = wechatpay.parse_authorization(built.headers["Authorization"])
    message = f"POST\n/v3/refund/domestic/refunds\n{sample['timestamp']}\n{sample['nonce']}\n{sample['body']}\n"
    assert rsa_sha256_verifies((HERE / "merchant_cert.pem").read_text(), fields["signature"], message)


def test_a_refund_notification_is_verified_and_decrypted() -> None:
    sample = SAMPLES["refund_notification"]
    read = wechatpay.read_notification(merchant(), sample["headers"], sample["body"], now=sample["received_at"])
    assert read.event_type == wechatpay.REFUNDED and wechatpay.REFUND_OUTCOMES[read.event_type] == "succeeded"
    assert read.resource == sample["resource"] and read.resource["out_refund_no"] == "S20251205000001R1"
    spoiled = sample["body"].replace("退款成功", "退款失败")
    with pytest.raises(SignatureInvalid):
        wechatpay.read_notification(merchant(), sample["headers"], spoiled, now=sample["received_at"])


def test_the_refund_query_is_a_signed_get_of_the_refund_by_its_number() -> None:
    built = wechatpay.refund_query(merchant(), out_refund_no="01a2c1R1", timestamp=1733462400, nonce="n0nce")

    assert (built.method, built.content) == ("GET", None)
    assert built.url == "https://api.mch.weixin.qq.com/v3/refund/domestic/refunds/01a2c1R1"
    fields = wechatpay.parse_authorization(built.headers["Authorization"])
    message = "GET\n/v3/refund/domestic/refunds/01a2c1R1\n1733462400\nn0nce\n\n"  # a GET signs an empty body
    assert rsa_sha256_verifies((HERE / "merchant_cert.pem").read_text(), fields["signature"], message)
    assert wechatpay.REFUND_STATES == {"SUCCESS": "succeeded", "PROCESSING": "processing", "ABNORMAL": "abnormal",
                                       "CLOSED": "closed"}
