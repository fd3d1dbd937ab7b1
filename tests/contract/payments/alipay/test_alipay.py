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
