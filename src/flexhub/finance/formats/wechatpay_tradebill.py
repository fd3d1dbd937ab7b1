"""WeChat Pay's trade bill (微信支付交易账单), as `downloadbill` (APIv2) or the APIv3 trade bill download answers it:
a header row, one row per payment or refund with every cell prefixed by a backtick (so spreadsheets keep long
numbers as text), then a totals header (总交易单数,...) and one totals row. Columns are read by their header
names, so the ALL, SUCCESS and REFUND bills all read.

A `SUCCESS` row pays the order named by 商户订单号 (the merchant's order id, the order's external
id here): 订单金额 gross, 手续费 the fee. A `REFUND` row gives 退款金额 back, its fee returned; a `REVOKED`
payment (撤销) gives all of it back. Amounts are in yuan;
times are Beijing time."""

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, beijing, cells, currency_code, money

WHEN, ORDER, TRANSACTION, STATE, CURRENCY = "交易时间", "商户订单号", "微信订单号", "交易状态", "货币种类"
SETTLED, ORDER_AMOUNT, FEE, REFUND_ID, REFUNDED = "应结订单金额", "订单金额", "手续费", "微信退款单号", "退款金额"
REQUIRED = (WHEN, ORDER, TRANSACTION, STATE, FEE)
TOTALS = "总交易单数"


class WechatpayTradebill:
    format = "wechatpay_tradebill"
    title = "WeChat Pay trade bill (微信支付交易账单)"

    def parse(self, content: str) -> list[StatementLine]:
        physical = content.splitlines()
        if not physical or not physical[0].lstrip("\ufeff").startswith(WHEN):
            raise UnreadableStatement(f"not a {self.title}: the first row is not its header ({WHEN},...)")
        columns = Columns(cells(physical[0]), REQUIRED, self.title)
        if ORDER_AMOUNT not in columns.names and SETTLED not in columns.names:
            raise UnreadableStatement(f"not a {self.title}: it has neither {ORDER_AMOUNT} nor {SETTLED}")
        return read_lines(physical[1:], 2, lambda line_no, raw: _line(line_no, raw, columns.record(cells(raw))),
                          stop=lambda raw: raw.startswith(TOTALS))  # the totals header, then the totals row


def _line(line_no: int, raw: str, row: dict[str, str]) -> StatementLine:
    currency = currency_code(row.get(CURRENCY) or "CNY")
    state, order = row[STATE], row[ORDER] or None
    fee = abs(money(row[FEE], currency))
    event: str | None
    if state == "SUCCESS":
        kind, amount, event = SALE, _gross(row, currency), row[TRANSACTION]
    elif state == "REFUND":
        kind, amount, fee, event = REFUND, -abs(money(row[REFUNDED], currency)), -fee, row.get(REFUND_ID)
    elif state == "REVOKED":  # a payment reversed after it succeeded: all of it back
        kind, amount, fee, event = REFUND, -_gross(row, currency), -fee, f"revoked:{row[TRANSACTION]}"
    else:
        raise ValueError(f"unknown {STATE} {state!r}")
    return StatementLine(line_no=line_no, raw=raw, kind=kind, external_id=order, amount=amount, fee=fee,
                         currency=currency, occurred_at=beijing(row[WHEN]), event=event, reference=event,
                         description=f"{state} {row.get('商品名称', '')}".strip())


def _gross(row: dict[str, str], currency: str) -> int:
    return money(row.get(ORDER_AMOUNT) or row[SETTLED], currency)
