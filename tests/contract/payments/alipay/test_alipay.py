"""Alipay's open platform as its documentation and official SDKs describe it (SOURCES.md): the adapter's signed
`alipay.trade.precreate` verifies as Alipay's gateway checks it; Alipay's signed answer and notification are read,
and refused once spoiled or for another app."""

from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx2
import pytest

from flexhub.integrations.signing import SignatureInvalid, rsa_sha256_verifies
from flexhub.sandbox.alipay import SandboxAlipay, _public
from flexhub.stores.payments import alipay

NOW = datetime(2026, 12, 5, 16, 30, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def sandbox() -> SandboxAlipay:
    return SandboxAlipay()


@pytest.fixture(scope="module")
def app(sandbox: SandboxAlipay) -> alipay.App:
    return alipay.App(**sandbox.credentials())


def test_the_documented_sign_content_is_sorted_name_value_pairs() -> None:
    """The documentation's example parameters (the common ones of a request) signed as the SDK joins them."""
    params = {"method": "alipay.trade.precreate", "app_id": "2014072300007148", "charset": "utf-8",
              "timestamp": "2014-07-24 03:07:50", "sign_type": "RSA2", "version": "1.0",
              "biz_content": '{"out_trade_no":"20150320010101001","total_amount":"88.88","subject":"Iphone6 16G"}',
              "sign": "left out"}
    assert alipay.sign_content(params) == (
        'app_id=2014072300007148&biz_content={"out_trade_no":"20150320010101001","total_amount":"88.88",'
        '"subject":"Iphone6 16G"}&charset=utf-8&method=alipay.trade.precreate&sign_type=RSA2'
        '&timestamp=2014-07-24 03:07:50&version=1.0')
    assert alipay.sign_content(params, leave_out=("sign", "sign_type")).count("sign_type") == 0


def test_a_precreate_request_is_signed_by_the_app(app: alipay.App, sandbox: SandboxAlipay) -> None:
    request = alipay.precreate(app, out_trade_no="01a2b3", total=9900, subject="Store sale 01a2b3",
                               notify_url="https://hub.example/webhooks/payments/alipay/t", now=NOW)
    form = dict(parse_qsl(request.content.decode()))  # type: ignore[union-attr]
    assert (request.method, request.url) == ("POST", app.gateway)
    assert {k: form[k] for k in ("app_id", "method", "format", "charset", "sign_type", "timestamp", "version")} == {
        "app_id": app.app_id, "method": "alipay.trade.precreate", "format": "JSON", "charset": "utf-8",
        "sign_type": "RSA2", "timestamp": "2026-12-06 00:30:05", "version": "1.0"}  # Beijing time
    assert form["biz_content"] == '{"out_trade_no":"01a2b3","total_amount":"99.00","subject":"Store sale 01a2b3"}'
    assert rsa_sha256_verifies(_public(sandbox.app_key), form["sign"], alipay.sign_content(form).encode())
    assert not rsa_sha256_verifies(_public(sandbox.app_key), form["sign"],
                                   alipay.sign_content({**form, "notify_url": "https://elsewhere"}).encode())


def test_the_answer_is_read_once_alipays_signature_over_its_text_verifies(app: alipay.App,
                                                                         sandbox: SandboxAlipay) -> None:
    request = alipay.precreate(app, out_trade_no="01a2b4", total=1, subject="x", notify_url="https://h/n", now=NOW)
    text = sandbox.handle(httpx2.Request("POST", request.url, content=request.content)).text
    answer = alipay.read_answer(app, text)
    assert (answer["code"], answer["out_trade_no"]) == ("10000", "01a2b4") and answer["qr_code"].startswith("https://")
    with pytest.raises(SignatureInvalid):
        alipay.read_answer(app, text.replace('"10000"', '"10001"'))
    with pytest.raises(SignatureInvalid):
        alipay.read_answer(app, '{"alipay_trade_precreate_response":{"code":"10000"}}')  # unsigned


def test_a_request_signed_by_another_key_is_refused_by_the_gateway(app: alipay.App, sandbox: SandboxAlipay) -> None:
    other = alipay.App(app.app_id, SandboxAlipay().app_key, app.alipay_public_key_pem, app.gateway)
    request = alipay.precreate(other, out_trade_no="01a2b5", total=100, subject="x", notify_url="https://h/n", now=NOW)
    answer = alipay.read_answer(app, sandbox.handle(httpx2.Request("POST", request.url, content=request.content)).text)
    assert answer["sub_code"] == "isv.invalid-signature"


def test_the_notification_is_verified_then_read(app: alipay.App, sandbox: SandboxAlipay) -> None:
    request = alipay.precreate(app, out_trade_no="01a2b6", total=12345, subject="x", notify_url="https://h/n", now=NOW)
    sandbox.handle(httpx2.Request("POST", request.url, content=request.content))
    url, form = sandbox.pay("01a2b6")
    told = alipay.read_notification(app, form)
    assert url == "https://h/n"
    assert (told.out_trade_no, told.trade_status, told.total) == ("01a2b6", "TRADE_SUCCESS", 12345)
    _, spoiled = sandbox.pay("01a2b6", spoil=True)
    for bad in (spoiled, {**form, "sign_type": "RSA"}, {**form, "sign": form["sign"][::-1]}):
        with pytest.raises(SignatureInvalid):
            alipay.read_notification(app, bad)
    with pytest.raises(SignatureInvalid):
        alipay.read_notification(alipay.App("2021999999999999", app.private_key_pem, app.alipay_public_key_pem), form)


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00"), (1, "0.01"), (9900, "99.00"), (10_000_000_000, "100000000.00")])
def test_amounts_are_yuan_with_two_decimals(fen: int, text: str) -> None:
    assert alipay.amount_text(fen) == text and alipay.fen_of(text) == fen
    with pytest.raises(ValueError):
        alipay.fen_of(text + "1")


def _paid(app: alipay.App, sandbox: SandboxAlipay, number: str, total: int) -> None:
    request = alipay.precreate(app, out_trade_no=number, total=total, subject="x", notify_url="https://h/n", now=NOW)
    sandbox.handle(httpx2.Request("POST", request.url, content=request.content))
    sandbox.pay(number)


def _refund(app: alipay.App, sandbox: SandboxAlipay, number: str, request_no: str, amount: int) -> str:
    request = alipay.refund(app, out_trade_no=number, out_request_no=request_no, amount=amount, reason="did not fit",
                            now=NOW)
    return sandbox.handle(httpx2.Request("POST", request.url, content=request.content)).text


def test_a_refund_request_is_signed_by_the_app(app: alipay.App, sandbox: SandboxAlipay) -> None:
    request = alipay.refund(app, out_trade_no="01a2c1", out_request_no="01a2c1R1", amount=4950, reason="did not fit",
                            now=NOW)
    form = dict(parse_qsl(request.content.decode()))  # type: ignore[union-attr]
    assert (form["method"], form["timestamp"], form["sign_type"]) == ("alipay.trade.refund", "2026-12-06 00:30:05",
                                                                      "RSA2")
    assert form["biz_content"] == ('{"out_trade_no":"01a2c1","refund_amount":"49.50","out_request_no":"01a2c1R1",'
                                   '"refund_reason":"did not fit"}')
    assert rsa_sha256_verifies(_public(sandbox.app_key), form["sign"], alipay.sign_content(form).encode())
    assert not rsa_sha256_verifies(_public(sandbox.app_key), form["sign"],
                                   alipay.sign_content({**form, "biz_content": form["biz_content"].replace(
                                       "49.50", "99.00")}).encode())


def test_a_refund_is_made_once_per_request_number(app: alipay.App, sandbox: SandboxAlipay) -> None:
    _paid(app, sandbox, "01a2c2", 9900)

    first = alipay.read_refund(app, _refund(app, sandbox, "01a2c2", "01a2c2R1", 4950))
    again = alipay.read_refund(app, _refund(app, sandbox, "01a2c2", "01a2c2R1", 4950))

    assert (first.fund_change, first.refund_fee) == (True, 4950) and first.trade_no == sandbox.trades["01a2c2"].trade_no
    assert (again.fund_change, again.refund_fee) == (False, 4950)  # the same number: nothing moved this time
    with pytest.raises(alipay.RefundRefused) as beyond:
        alipay.read_refund(app, _refund(app, sandbox, "01a2c2", "01a2c2R2", 5000))  # 49.50 + 50.00 > 99.00
    assert (beyond.value.code, beyond.value.sub_code, beyond.value.unknown) == (
        "40004", "ACQ.REASON_TRADE_REFUND_FEE_ERR", False)
    with pytest.raises(alipay.RefundRefused) as unknown:
        alipay.read_refund(app, _refund(app, sandbox, "01a2cX", "01a2cXR1", 100))
    assert unknown.value.sub_code == "ACQ.TRADE_NOT_EXIST"


def test_a_refund_answer_is_read_only_when_alipay_signed_it(app: alipay.App, sandbox: SandboxAlipay) -> None:
    _paid(app, sandbox, "01a2c3", 9900)
    text = _refund(app, sandbox, "01a2c3", "01a2c3R1", 9900)
    with pytest.raises(SignatureInvalid):
        alipay.read_refund(app, text.replace('"fund_change":"Y"', '"fund_change":"N"'))
    assert alipay.read_refund(app, text).refund_fee == 9900


def test_a_system_error_leaves_the_refund_unknown() -> None:
    assert alipay.RefundRefused("40004", "ACQ.SYSTEM_ERROR", "系统错误").unknown
    assert alipay.RefundRefused("20000", "isp.unknow-error", "服务暂不可用").unknown
    assert not alipay.RefundRefused("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在").unknown


def _query(app: alipay.App, sandbox: SandboxAlipay, number: str, request_no: str) -> str:
    request = alipay.refund_query(app, out_trade_no=number, out_request_no=request_no, now=NOW)
    return sandbox.handle(httpx2.Request("POST", request.url, content=request.content)).text


def test_a_refund_query_is_signed_and_says_whether_the_refund_was_made(app: alipay.App,
                                                                        sandbox: SandboxAlipay) -> None:
    request = alipay.refund_query(app, out_trade_no="01a2c4", out_request_no="01a2c4R1", now=NOW)
    form = dict(parse_qsl(request.content.decode()))  # type: ignore[union-attr]
    assert form["method"] == "alipay.trade.fastpay.refund.query"
    assert form["biz_content"] == ('{"out_trade_no":"01a2c4","out_request_no":"01a2c4R1",'
                                   '"query_options":["gmt_refund_pay"]}')
    assert rsa_sha256_verifies(_public(sandbox.app_key), form["sign"], alipay.sign_content(form).encode())
    _paid(app, sandbox, "01a2c4", 9900)

    assert alipay.read_refund_query(app, _query(app, sandbox, "01a2c4", "01a2c4R1")) is None  # not made yet
    alipay.read_refund(app, _refund(app, sandbox, "01a2c4", "01a2c4R1", 4950))
    text = _query(app, sandbox, "01a2c4", "01a2c4R1")
    found = alipay.read_refund_query(app, text)

    assert found is not None and (found.out_request_no, found.refund_amount) == ("01a2c4R1", 4950)
    assert found.trade_no == sandbox.trades["01a2c4"].trade_no
    with pytest.raises(SignatureInvalid):
        alipay.read_refund_query(app, text.replace('"refund_amount":"49.50"', '"refund_amount":"99.00"'))
    with pytest.raises(alipay.RefundRefused) as unknown:
        alipay.read_refund_query(app, _query(app, sandbox, "01a2cY", "01a2cYR1"))
    assert (unknown.value.sub_code, unknown.value.unknown) == ("ACQ.TRADE_NOT_EXIST", False)
