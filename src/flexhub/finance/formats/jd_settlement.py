"""JD POP shop's settlement bill detail (京东账单明细: JD's `listBills` 查询商家账单明细 as the back office exports
it): one row per charge item of a document, with 订单编号, 单据编号, 单据类型 (JD's `rfBusiType`:
订单 1001, 售后服务单 1002, 取消退款单 1003, 非销售单 1102), 商品编号, 费用项 (货款, 佣金, 平台服务费 …), 收支方向
(收入 / 支出), 结算状态 (`detailStatus`: 结算完成 15, 付款中/待确认 11, 付款失败 17, 数据作废 1), 费用计费时间 (Beijing
time) and 金额 in yuan.

A 货款 (the goods' money) row pays the order's 商品编号 (a part) under its 单据编号 (an event): on an 订单 it is a
sale, on a 售后服务单 or 取消退款单 a refund. Any other charge item naming an order is a fee on it (支出 charged, 收入
given back); one naming no order (a deposit, an account fee: 非销售单) is an adjustment. Only rows 结算完成 count: rows
still being paid, whose payment failed or that JD voided are passed over as not money; a status JD does not use is
kept as unreadable."""

from dataclasses import replace

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, FEE, REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, beijing, cells, money

ORDER, DOCUMENT, DOC_TYPE, SKU, ITEM, DIRECTION = "订单编号", "单据编号", "单据类型", "商品编号", "费用项", "收支方向"
STATUS, WHEN, AMOUNT, CURRENCY_COLUMN = "结算状态", "费用计费时间", "金额", "币种"
REQUIRED = (ORDER, DOCUMENT, DOC_TYPE, SKU, ITEM, DIRECTION, STATUS, WHEN, AMOUNT)
GOODS = "货款"
SETTLED = "结算完成"
NOT_MONEY = frozenset({"付款中/待确认", "付款失败", "数据作废"})
REFUND_DOCUMENTS = frozenset({"售后服务单", "取消退款单"})
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
        return columns.record(cells(raw))[STATUS] in NOT_MONEY
    except ValueError:
        return False  # read (and kept unreadable) by _line


def _line(line_no: int, raw: str, row: dict[str, str]) -> StatementLine:
    if row[STATUS] != SETTLED:
        raise ValueError(f"unknown {STATUS} {row[STATUS]!r}")
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
        kind = REFUND if row[DOC_TYPE] in REFUND_DOCUMENTS or amount < 0 else SALE
        return replace(line, kind=kind, event=row[DOCUMENT], part=row[SKU])
    if order:
        return replace(line, kind=FEE, amount=0, fee=-amount, event=row[DOCUMENT])
    return line
