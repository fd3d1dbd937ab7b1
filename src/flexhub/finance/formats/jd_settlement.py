"""JD POP shop's settlement bill detail (京东账单明细, as the merchant back office exports it under 结算 → 账单明细):
one row per charge item of a document, with 订单编号, 单据编号, 单据类型 (订单 / 退款单 …), 商品编号, 费用项
(货款, 佣金, 平台服务费 …), 收支方向 (收入 / 支出), 结算状态, 费用计费时间 (Beijing time) and 金额 in yuan.

A 货款 (the goods' money) row pays the order's 商品编号 (a part) under its 单据编号 (an event): on an 订单 it is a
sale, on a 退款单 a refund. Any other charge item naming an order is a fee on it (支出 charged, 收入 given back);
one naming no order (a deposit, an account fee) is an adjustment. Only rows 已结算 count: 未结算 ones are passed over
as not yet money."""

from dataclasses import replace

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, FEE, REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, beijing, cells, money

ORDER, DOCUMENT, DOC_TYPE, SKU, ITEM, DIRECTION = "订单编号", "单据编号", "单据类型", "商品编号", "费用项", "收支方向"
STATUS, WHEN, AMOUNT, CURRENCY_COLUMN = "结算状态", "费用计费时间", "金额", "币种"
REQUIRED = (ORDER, DOCUMENT, DOC_TYPE, SKU, ITEM, DIRECTION, STATUS, WHEN, AMOUNT)
GOODS = "货款"
SIGNS = {"收入": 1, "支出": -1}
CURRENCIES = {"": "CNY", "人民币": "CNY", "CNY": "CNY"}


class JdSettlement:
    format = "jd_settlement"
    title = "JD shop settlement bill detail (京东账单明细 CSV)"

    def parse(self, content: str) -> list[StatementLine]:
        physical = content.splitlines()
        if not physical:
            raise UnreadableStatement(f"not a {self.title}: the file is empty")
        columns = Columns(cells(physical[0]), REQUIRED, self.title)
        return read_lines(physical[1:], 2, lambda line_no, raw: _line(line_no, raw, columns.record(cells(raw))),
                          skip=lambda raw: _pending(columns, raw))


def _pending(columns: Columns, raw: str) -> bool:
    try:
        return columns.record(cells(raw))[STATUS] == "未结算"
    except ValueError:
        return False  # read (and kept unreadable) by _line


def _line(line_no: int, raw: str, row: dict[str, str]) -> StatementLine:
    sign = SIGNS.get(row[DIRECTION])
    if sign is None:
        raise ValueError(f"unknown {DIRECTION} {row[DIRECTION]!r}")
    currency = CURRENCIES.get(row.get(CURRENCY_COLUMN, ""))
    if currency is None:
        raise ValueError(f"unknown {CURRENCY_COLUMN} {row[CURRENCY_COLUMN]!r}")
    amount = sign * abs(money(row[AMOUNT], currency))
    order = row[ORDER] or None
    line = StatementLine(line_no=line_no, raw=raw, kind=ADJUSTMENT, external_id=order, amount=amount,
                         currency=currency, occurred_at=beijing(row[WHEN]), reference=row[DOCUMENT],
                         description=f"{row[DOC_TYPE]} {row[ITEM]}")
    if row[ITEM] == GOODS and order:
        kind = REFUND if row[DOC_TYPE].startswith("退款") or amount < 0 else SALE
        return replace(line, kind=kind, event=row[DOCUMENT], part=row[SKU])
    if order:
        return replace(line, kind=FEE, amount=0, fee=-amount, event=row[DOCUMENT])
    return line
