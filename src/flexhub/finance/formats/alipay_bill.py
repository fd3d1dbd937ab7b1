"""Alipay's account bill (支付宝账务明细): the signcustomer bill the merchant downloads (through
`alipay.data.dataservice.bill.downloadurl.query`) or exports from the merchant centre, one CSV of the account's
every movement. `#` lines before and after the table carry the account, period and totals; the table's header is
账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,
业务类型,备注. Cells often end with a tab (kept out of spreadsheets' number formats); times are Beijing time.

For Taobao and Tmall the 商户订单号 is `T200P` followed by the Taobao order id, which is the order's external id
here. 业务类型 decides the kind: a payment in is a sale, 交易退款 a refund, 交易分账 and 服务费 (commissions,
technical service fees) a fee on the order they name (an adjustment when they name none), 提现 the payout; the
rest are adjustments."""

import re

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, FEE, PAYOUT, REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, beijing, cells, money

JOURNAL, TRADE, ORDER, ITEM, WHEN = "账务流水号", "业务流水号", "商户订单号", "商品名称", "发生时间"
INCOME, EXPENSE, TYPE, MEMO = "收入金额（+元）", "支出金额（-元）", "业务类型", "备注"
REQUIRED = (JOURNAL, TRADE, ORDER, WHEN, INCOME, EXPENSE, TYPE)
SALE_TYPES = frozenset({"在线支付", "交易付款", "交易收款", "交易"})
REFUND_TYPES = frozenset({"交易退款", "退款"})
FEE_TYPES = frozenset({"交易分账", "服务费", "收费", "技术服务费", "佣金"})
PAYOUT_TYPES = frozenset({"提现"})
TAOBAO_PREFIX = re.compile(r"^T\d{3}P")
CURRENCY = "CNY"


class AlipayBill:
    format = "alipay_bill"
    title = "Alipay account bill (支付宝账务明细 CSV)"

    def parse(self, content: str) -> list[StatementLine]:
        physical = content.splitlines()
        start = next((n for n, raw in enumerate(physical) if raw.lstrip("\ufeff").startswith(JOURNAL)), None)
        if start is None:
            raise UnreadableStatement(f"not an {self.title}: no header row starting with {JOURNAL}")
        columns = Columns(cells(physical[start]), REQUIRED, self.title)
        return read_lines(physical[start + 1:], start + 2,
                          lambda line_no, raw: _line(line_no, raw, columns.record(cells(raw))),
                          skip=lambda raw: raw.startswith("#"))


def _line(line_no: int, raw: str, row: dict[str, str]) -> StatementLine:
    income, expense = money(row[INCOME], CURRENCY, required=False), money(row[EXPENSE], CURRENCY, required=False)
    if bool(income) == bool(expense):
        raise ValueError("a movement is either income or expense")
    signed = income or -abs(expense)
    order = TAOBAO_PREFIX.sub("", row[ORDER]) or None
    kind = _kind(row[TYPE], signed, order)
    return StatementLine(
        line_no=line_no, raw=raw, kind=kind, external_id=order, currency=CURRENCY,
        amount=0 if kind == FEE else signed, fee=-signed if kind == FEE else 0, occurred_at=beijing(row[WHEN]),
        event=row[JOURNAL], reference=row[TRADE], description=f"{row[TYPE]} {row.get(MEMO, '')}".strip(),
    )


def _kind(business_type: str, signed: int, order: str | None) -> str:
    if business_type in FEE_TYPES:
        return FEE if order else ADJUSTMENT  # a fee of the account (software, services), not of an order
    if business_type in REFUND_TYPES or (business_type in SALE_TYPES and signed < 0):
        return REFUND
    if business_type in SALE_TYPES:
        return SALE
    return PAYOUT if business_type in PAYOUT_TYPES else ADJUSTMENT
