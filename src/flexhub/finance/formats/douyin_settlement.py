"""Douyin shop's settlement bill (抖店结算账单): one row per settled sub-order, with the columns the Douyin Open
Platform documents for the bill (`order.getSettleBillDetailV3`: 结算时间, 结算单号, 订单号, 子订单号, ... 收入合计,
平台服务费, 佣金, ... 合计支出, 商家实收), amounts in yuan as the shop back office exports them, times Beijing time.

结算单类型 已结算 (0) pays the sub-order: 收入合计 is the gross (the order's price with the platform's subsidies),
合计支出 the fees (platform service fee, streamer commission, channel and promotion shares). 结算后退款 (1, 3) gives
money back after settlement; 保证金退款 (2) is an adjustment. Every row must add up: 商家实收 = 收入合计 − 合计支出.
The order (订单号) is the external id; each 子订单号 is a part, so a sub-order settled by two 结算单号 is a
duplicate."""

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, beijing, cells, money

WHEN, BILL, ORDER, SUB_ORDER, TYPE = "结算时间", "结算单号", "订单号", "子订单号", "结算单类型"
INCOME, OUTCOME, SETTLED, REMARK = "收入合计", "合计支出", "商家实收", "备注"
REQUIRED = (WHEN, BILL, ORDER, SUB_ORDER, TYPE, INCOME, OUTCOME, SETTLED)
KINDS = {"已结算": SALE, "0": SALE, "结算后退款-原路退回": REFUND, "1": REFUND, "结算后退款-非原路退回": REFUND,
         "3": REFUND, "保证金退款-支出退回": ADJUSTMENT, "2": ADJUSTMENT}
CURRENCY = "CNY"


class DouyinSettlement:
    format = "douyin_settlement"
    title = "Douyin shop settlement bill (抖店结算账单 CSV)"

    def parse(self, content: str) -> list[StatementLine]:
        physical = content.splitlines()
        if not physical:
            raise UnreadableStatement(f"not a {self.title}: the file is empty")
        columns = Columns(cells(physical[0]), REQUIRED, self.title)
        return read_lines(physical[1:], 2, lambda line_no, raw: _line(line_no, raw, columns.record(cells(raw))))


def _line(line_no: int, raw: str, row: dict[str, str]) -> StatementLine:
    kind = KINDS.get(row[TYPE])
    if kind is None:
        raise ValueError(f"unknown {TYPE} {row[TYPE]!r}")
    income, outcome, settled = (money(row[key], CURRENCY) for key in (INCOME, OUTCOME, SETTLED))
    if income - outcome != settled:
        raise ValueError(f"{SETTLED} {row[SETTLED]} is not {INCOME} {row[INCOME]} less {OUTCOME} {row[OUTCOME]}")
    return StatementLine(
        line_no=line_no, raw=raw, kind=kind, external_id=row[ORDER] or None, amount=income, fee=outcome,
        currency=CURRENCY, occurred_at=beijing(row[WHEN]), event=row[BILL], part=row[SUB_ORDER],
        reference=row[BILL], description=f"{row[TYPE]} {row.get(REMARK, '')}".strip(),
    )
