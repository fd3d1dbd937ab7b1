"""Each statement format reads its sample line by line (kinds, orders, amounts in minor units, Beijing and UTC
times), keeps a line it cannot read with its number and text, and refuses a file that is not its format."""

from datetime import UTC, datetime

import pytest

from flexhub.finance.errors import UnknownFormat, UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, FEE, PAYOUT, REFUND, SALE, UNREADABLE, StatementLine
from flexhub.finance.formats.reading import json_items, money
from flexhub.finance.formats.registry import format_named, formats
from flexhub.testing.finance import FORMATS, sample


def parsed(name: str) -> list[StatementLine]:
    return format_named(name).parse(sample(name).content)


def kinds(lines: list[StatementLine]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines:
        found[line.kind] = found.get(line.kind, 0) + 1
    return found


def test_every_format_is_a_registered_plug_in() -> None:
    assert sorted(formats()) == sorted(FORMATS)
    with pytest.raises(UnknownFormat) as refused:
        format_named("paypal_settlement")
    assert refused.value.code == "finance.unknown_format" and refused.value.status == 422


def test_shopify_balance_transactions() -> None:
    lines = parsed("shopify_payments")

    assert kinds(lines) == {SALE: 9, REFUND: 2, UNREADABLE: 1, ADJUSTMENT: 1, PAYOUT: 1}
    first = lines[0]
    assert (first.line_no, first.external_id, first.amount, first.fee, first.net, first.currency) == \
        (3, "5911000001", 4500, 161, 4339, "USD")
    assert first.occurred_at == datetime(2025, 3, 2, 15, 5, tzinfo=UTC)  # 10:05 at UTC-5
    assert first.raw.startswith('{\n      "id": 7001001,') and first.raw.endswith("}")
    refund = lines[7]
    assert (refund.kind, refund.amount, refund.fee) == (REFUND, -6000, 0)
    bad = next(line for line in lines if line.kind == UNREADABLE)
    assert bad.line_no == 201 and '"amount": "N/A"' in bad.raw and "N/A" in (bad.error or "")


def test_amazon_settlement_rows_are_grouped_into_events_and_parts() -> None:
    lines = parsed("amazon_settlement_v2")
    order_two = [line for line in lines if line.external_id == "111-4012345-0000002"]

    assert kinds(lines) == {PAYOUT: 1, SALE: 27, REFUND: 5, UNREADABLE: 1, ADJUSTMENT: 1}
    assert lines[0].kind == PAYOUT and lines[0].amount == 5652 and lines[0].line_no == 2
    assert len({line.event for line in order_two}) == 1 and {line.part for line in order_two} == \
        {"52986411826402", "52986411826403"}
    assert sum(line.amount for line in order_two) == 4000 and sum(line.fee for line in order_two) == 922
    refund_fees = [line.fee for line in lines if line.kind == REFUND and line.external_id.endswith("06")]
    assert refund_fees == [0, -270, 54]  # commission given back, then Amazon's refund administration fee
    (bad,) = [line for line in lines if line.kind == UNREADABLE]
    assert bad.error == "16 cells where the header names 24"


def test_alipay_account_bill() -> None:
    lines = parsed("alipay_bill")

    assert kinds(lines) == {SALE: 9, FEE: 6, REFUND: 2, UNREADABLE: 1, ADJUSTMENT: 1, PAYOUT: 1}
    sale, commission = lines[0], lines[1]
    assert (sale.line_no, sale.external_id, sale.amount, sale.event) == (6, "3318805729101", 19900,
                                                                          "20250302201010000001")
    assert sale.occurred_at == datetime(2025, 3, 2, 2, 15, 22, tzinfo=UTC)  # 10:15:22 Beijing time
    assert (commission.kind, commission.amount, commission.fee) == (FEE, 0, 995)
    assert next(line for line in lines if line.kind == REFUND).amount == -5900
    assert [line.kind for line in lines[-2:]] == [ADJUSTMENT, PAYOUT]  # a software fee of the account; a withdrawal


def test_wechat_pay_trade_bill() -> None:
    lines = parsed("wechatpay_tradebill")

    assert kinds(lines) == {SALE: 9, REFUND: 2, UNREADABLE: 1}
    assert (lines[0].external_id, lines[0].amount, lines[0].fee) == ("WX20250302000001", 9900, 59)  # 0.59400
    refund = next(line for line in lines if line.kind == REFUND)
    assert (refund.amount, refund.fee, refund.event) == (-6600, -40, "50300001812025000000000000008")
    assert lines[-1].line_no == 13  # the totals header and row are not lines


def test_douyin_settlement_bill() -> None:
    lines = parsed("douyin_settlement")

    assert kinds(lines) == {SALE: 10, REFUND: 2, UNREADABLE: 1, ADJUSTMENT: 1}
    first = lines[0]
    assert (first.external_id, first.part, first.amount, first.fee, first.net) == \
        ("6930212345678901201", "6930212345678901211", 19900, 4975, 14925)
    refund = next(line for line in lines if line.kind == REFUND)
    assert (refund.amount, refund.fee) == (-5900, -1475)


def test_shopee_escrow_details() -> None:
    lines = parsed("shopee_escrow")

    assert kinds(lines) == {SALE: 9, REFUND: 2, UNREADABLE: 1}
    first = lines[0]
    assert (first.external_id, first.amount, first.fee, first.net, first.currency) == \
        ("250301AAAA0001", 5000, 400, 4600, None)  # the answer names no currency: the channel's
    assert first.occurred_at == datetime(2025, 3, 4, 6, 0, tzinfo=UTC)  # its escrow_release_time
    sale, refund = [line for line in lines if line.external_id == "250303AAAA0006"]
    assert (sale.kind, sale.amount, sale.net) == (SALE, 6000, 5520)  # escrow -4.80 is this net plus the refund
    assert (refund.kind, refund.amount, refund.line_no > sale.line_no) == (REFUND, -6000, True)
    assert '"seller_return_refund": -60.0' in sample("shopee_escrow").content.splitlines()[refund.line_no - 1]
    bad = next(line for line in lines if line.kind == UNREADABLE)
    assert '"escrow_amount": "N/A"' in bad.raw and "N/A" in (bad.error or "")


def test_jd_settlement_bill_detail() -> None:
    lines = parsed("jd_settlement")

    # the 付款中/待确认 row passed over
    assert kinds(lines) == {SALE: 9, FEE: 8, REFUND: 2, UNREADABLE: 1, ADJUSTMENT: 1}
    sale, fee = lines[0], lines[1]
    assert (sale.kind, sale.external_id, sale.amount, sale.event, sale.part, sale.currency) == \
        (SALE, "300100000001", 19900, "DJ250305000001", "100012345678", "CNY")
    assert (fee.kind, fee.fee, fee.amount) == (FEE, 1592, 0)
    assert sale.occurred_at == datetime(2025, 3, 4, 18, 10, tzinfo=UTC)  # 02:10 Beijing time
    refund = next(line for line in lines if line.kind == REFUND)
    assert (refund.external_id, refund.amount, refund.event) == ("300100000006", -3900, "TK250306000006")
    bad = next(line for line in lines if line.kind == UNREADABLE)
    assert bad.line_no == 22 and "3O.00" in bad.raw
    deposit = lines[-1]
    assert (deposit.kind, deposit.external_id, deposit.amount) == (ADJUSTMENT, None, -100000)


def test_jd_rows_are_read_by_jds_document_types_and_settlement_states() -> None:
    header, *rows = sample("jd_settlement").content.splitlines()
    goods = rows[0]
    cancelled = goods.replace(",订单,", ",取消退款单,").replace(",收入,", ",支出,")
    voided, failed, unknown = (goods.replace(",结算完成,", f",{state},") for state in ("数据作废", "付款失败",
                                                                                        "已结算"))

    lines = format_named("jd_settlement").parse("\n".join([header, cancelled, voided, failed, unknown]))

    assert [(line.kind, line.line_no) for line in lines] == [(REFUND, 2), (UNREADABLE, 5)]  # voided, failed: no money
    assert "结算状态 '已结算'" in (lines[1].error or "")


def test_a_row_that_does_not_add_up_is_kept_unreadable() -> None:
    header = sample("douyin_settlement").content.splitlines()[0]
    row = sample("douyin_settlement").content.splitlines()[1].replace(",149.25,", ",150.25,")

    (line,) = format_named("douyin_settlement").parse(f"{header}\n{row}\n")

    assert line.kind == UNREADABLE and line.raw == row and "商家实收 150.25" in (line.error or "")


@pytest.mark.parametrize(("name", "content"), [
    ("shopify_payments", ""), ("shopify_payments", '{"payouts": []}'), ("shopify_payments", "[1, 2"),
    ("amazon_settlement_v2", ""), ("amazon_settlement_v2", "order-id\tamount\n"),
    ("alipay_bill", "#支付宝账务明细查询\n"), ("alipay_bill", "账务流水号,业务流水号\n1,2\n"),
    ("wechatpay_tradebill", "交易时间,商户订单号,微信订单号,交易状态\n"), ("wechatpay_tradebill", "order,amount\n"),
    ("douyin_settlement", ""), ("douyin_settlement", "结算时间,订单号\n"),
    ("jd_settlement", ""), ("jd_settlement", "订单编号,金额\n1,2\n"),
    ("shopee_escrow", "[]"), ("shopee_escrow", '{"escrows": []}'), ("shopee_escrow", '{"escrow_list": []'),
])
def test_a_file_that_is_not_the_format_is_refused_whole(name: str, content: str) -> None:
    with pytest.raises(UnreadableStatement) as refused:
        format_named(name).parse(content)
    assert refused.value.code == "finance.unreadable_statement" and refused.value.status == 422


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1,234.56", "CNY", 123456), ("12,34", "EUR", 1234), ("1.234,56", "EUR", 123456), ("-66.00", "CNY", -6600),
    ("¥59.00", "CNY", 5900), ("`0.59400", "CNY", 59), ("0.60500", "CNY", 61), ("1,500", "JPY", 1500),
    ("12.5", "JPY", 13), ("\t199.00\t", "CNY", 19900),
])
def test_printed_amounts_become_minor_units(text: str, currency: str, minor: int) -> None:
    assert money(text, currency) == minor


@pytest.mark.parametrize("text", ["", "abc", "12..50", "NaN", "Infinity", "5O.00"])
def test_an_amount_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        money(text, "CNY")
    assert money("", "CNY", required=False) == 0


def test_json_items_keep_each_items_text_and_line() -> None:
    content = '{"other": [1, {"x": "]"}],\n "transactions": [\n  {"a": 1},\n  {"b": "[,]"}\n ]}'

    assert json_items(content, "transactions") == [(3, '{"a": 1}', {"a": 1}), (4, '{"b": "[,]"}', {"b": "[,]"})]
    assert json_items("[]", "transactions") == []
