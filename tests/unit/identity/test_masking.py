"""Masking buyers' personal data for roles that do not need it: by key in JSON, by digit runs elsewhere."""

import json

from flexhub.identity.masking import masked_address, masked_payload, masked_text


def test_a_phone_keeps_its_last_four_digits_a_name_its_first_character_an_email_its_domain() -> None:
    assert masked_text("13800138000") == "*******8000"
    assert masked_text("张三") == "张*"
    assert masked_text("li.na@brand.cn") == "l***@brand.cn"
    assert masked_text("") == ""


def test_personal_keys_are_masked_all_the_way_down_and_the_rest_is_left_alone() -> None:
    body = json.dumps({"order_id": "A-1", "buyer": {"name": "王小明", "phone": "13912345678"},
                       "post_tel": "13900001111", "shipping_address": {"province": "浙江省", "line1": "文三路 90 号"},
                       "lines": [{"sku": "TEE", "name": "Classic tee", "quantity": 2}]})

    masked = json.loads(masked_payload(body))

    assert masked["buyer"] == {"name": "王**", "phone": "*******5678"}
    assert masked["post_tel"] == "*******1111"
    assert masked["shipping_address"] == {"province": "浙江省", "line1": "文******"}
    assert masked["lines"] == [{"sku": "TEE", "name": "Classic tee", "quantity": 2}] and masked["order_id"] == "A-1"


def test_a_body_that_is_not_json_loses_its_long_numbers_and_emails() -> None:
    masked = masked_payload("<order><tel>13912345678</tel><mail>xm@example.cn</mail><qty>2</qty></order>")

    assert masked == "<order><tel>*******5678</tel><mail>x***@example.cn</mail><qty>2</qty></order>"


def test_an_address_keeps_its_region_and_hides_its_street() -> None:
    assert masked_address({"country": "CN", "city": "杭州市", "line1": "文三路 90 号", "postal_code": "310000"}) == {
        "country": "CN", "city": "杭州市", "line1": "文******", "postal_code": "3*****"}
