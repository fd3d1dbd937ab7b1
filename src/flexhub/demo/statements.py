"""Settlement statements the demo's channels would publish for the day, each in its platform's format and built
from the hub's own orders, with differences planted on purpose so the reconciliation has something to find.

`plan` turns a channel's orders into what the platform paid (a sale per accepted order, at its total less the
fees its terms allow) and plants the differences asked for, each on an order of its own:

- `missing_payout`: the order is left out;           `amount_mismatch`: it is paid 1.00 short;
- `fee_above_rate`: 2.00 more fee than the terms;     `duplicate_payout`: the sale paid again (no fee);
- `refund_not_in_hub`: half of it refunded, though the hub has no cancellation or return for it;
- `unknown_order`: a sale of an order the hub never had;  `other`: a line whose amount cannot be read.

Each writer prints the entries as its format's documents show them (the samples under tests/fixtures/finance,
with their sources): amounts in the currency's units with two decimals, Chinese platforms' times in Beijing time.
Orders are settled as one sub-order each (Douyin) and one item each (JD): the demo's reconciliation is by order.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flexhub.finance.rules import (
    AMOUNT_MISMATCH,
    DUPLICATE_PAYOUT,
    FEE_ABOVE_RATE,
    MISSING_PAYOUT,
    OTHER,
    REFUND_NOT_IN_HUB,
    UNKNOWN_ORDER,
)
from flexhub.integrations.beijing import SHANGHAI
from flexhub.kernel import clock
from flexhub.kernel.clock import as_utc

SALE, REFUND, BROKEN = "sale", "refund", "broken"
ON_AN_ORDER = (MISSING_PAYOUT, AMOUNT_MISMATCH, FEE_ABOVE_RATE, DUPLICATE_PAYOUT, REFUND_NOT_IN_HUB)
UNKNOWN = "5999999999"  # the order no one placed


@dataclass(frozen=True, slots=True)
class Entry:
    """One movement of money as the platform reports it: a sale (gross, fee), a refund (gross given back) or a
    line the platform garbled. `n` numbers it within the statement (ids, journal numbers)."""

    kind: str
    order: str
    gross: int
    fee: int
    at: datetime
    n: int


@dataclass(frozen=True, slots=True)
class Planned:
    entries: list[Entry]
    planted: list[tuple[str, str | None]]  # (difference kind, external id) the reconciliation must find


def accepted(order: dict[str, Any]) -> bool:
    """An order a payout is owed for, as reconciliation judges it: not cancelled, payment not pending."""
    return order["status"] != "cancelled" and order["payment_state"] != "pending"


def plan(orders: Sequence[dict[str, Any]], plants: Sequence[str], fee_of: Callable[[int], int]) -> Planned:
    """The platform's entries for `orders` (oldest first) with `plants` planted; a plant needing an order of its
    own is left out when too few orders are left to keep one clean."""
    paid = [o for o in orders if accepted(o)]
    if not paid:
        return Planned([], [])
    clean = [o for o in paid if o["payment_state"] == "paid"]  # not refunded in part: a refund would be known
    wanted = [kind for kind in plants if kind in ON_AN_ORDER][:max(len(clean) - 1, 0)]
    targets = {clean[n]["external_id"]: kind for n, kind in enumerate(wanted)}
    entries: list[Entry] = []

    def add(kind: str, order: str, gross: int, fee: int, at: datetime) -> None:
        entries.append(Entry(kind, order, gross, fee, at, len(entries)))

    for order in paid:
        planted, at = targets.get(order["external_id"]), as_utc(order["placed_at"] or order["created_at"])
        if planted == MISSING_PAYOUT:
            continue
        gross = order["total"] - (100 if planted == AMOUNT_MISMATCH else 0)
        fee = fee_of(gross) + (200 if planted == FEE_ABOVE_RATE else 0)
        add(SALE, order["external_id"], gross, fee, at)
        if planted == DUPLICATE_PAYOUT:
            add(SALE, order["external_id"], gross, 0, at + timedelta(minutes=5))  # its fee is not charged again
        if planted == REFUND_NOT_IN_HUB:
            add(REFUND, order["external_id"], max(order["total"] // 2, 1), 0, at + timedelta(minutes=30))
    last = entries[-1].at if entries else as_utc(paid[-1]["placed_at"] or paid[-1]["created_at"])
    found = [(kind, external_id) for external_id, kind in targets.items()]
    if UNKNOWN_ORDER in plants:
        add(SALE, UNKNOWN, 4500, fee_of(4500), last)
        found.append((UNKNOWN_ORDER, UNKNOWN))
    if OTHER in plants:
        add(BROKEN, paid[0]["external_id"], 0, 0, last)
        found.append((OTHER, None))
    return Planned(entries, sorted(found, key=lambda item: (item[0], item[1] or "")))


def _yuan(minor: int) -> str:
    return f"{Decimal(minor) / 100:.2f}"


def _amount(entry: Entry, minor: int) -> str:
    return "n/a" if entry.kind == BROKEN else _yuan(minor)


def _beijing(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def shopify_payments(entries: Sequence[Entry], currency: str) -> str:
    """Balance transactions as `GET .../shopify_payments/balance/transactions.json` answers them, the payout last."""
    transactions = []
    for e in entries:
        gross = -e.gross if e.kind == REFUND else e.gross
        transactions.append({
            "id": 7100000 + e.n, "type": "refund" if e.kind == REFUND else "charge", "test": False,
            "payout_id": 9100001, "payout_status": "paid", "currency": currency, "amount": _amount(e, gross),
            "fee": _yuan(e.fee), "net": _amount(e, gross - e.fee), "source_id": 7200000 + e.n,
            "source_type": "refund" if e.kind == REFUND else "charge", "source_order_id": int(e.order),
            "source_order_transaction_id": 7300000 + e.n, "processed_at": e.at.isoformat(),
            "adjustment_order_transactions": None, "adjustment_reason": None})
    paid = sum((-e.gross if e.kind == REFUND else e.gross) - e.fee for e in entries if e.kind != BROKEN)
    transactions.append({
        "id": 7100000 + len(entries), "type": "payout", "test": False, "payout_id": 9100001, "payout_status": "paid",
        "currency": currency, "amount": _yuan(-paid), "fee": "0.00", "net": _yuan(-paid), "source_id": 9100001,
        "source_type": "payout", "source_order_id": None, "source_order_transaction_id": None,
        "processed_at": (entries[-1].at if entries else clock.now()).isoformat(),
        "adjustment_order_transactions": None, "adjustment_reason": None})
    return json.dumps({"transactions": transactions}, indent=2)


ALIPAY_HEADER = ("账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
                 "账户余额（元）,交易渠道,业务类型,备注")


def alipay_bill(entries: Sequence[Entry], account: str = "20880123456789010156") -> str:
    """支付宝账务明细: a payment in per sale, its commission out (交易分账), refunds out (交易退款); Taobao's
    商户订单号 is T200P and the order id."""
    rows, balance = [], 0
    day = entries[0].at if entries else clock.now()
    for e in entries:
        movements = [("交易退款", -e.gross)] if e.kind == REFUND else [("交易付款", e.gross or 1)]
        if e.kind == SALE and e.fee:
            movements.append(("交易分账", -e.fee))
        for k, (kind, minor) in enumerate(movements):
            balance += minor
            serial = f"{e.at.astimezone(SHANGHAI):%Y%m%d}{e.n:06d}{k}"
            income, expense = (_amount(e, minor), "") if minor > 0 else ("", _yuan(minor))
            memo = f"{{天猫佣金（类目）}}T200P{e.order}" if kind == "交易分账" else ""
            party = "天猫佣金(tmall_settle@service.taobao.com)" if kind == "交易分账" else "买家(138****0000)"
            rows.append(f"2088{serial}\t,2025{serial}\t,T200P{e.order}\t,商品,{_beijing(e.at)},{party},{income},"
                        f"{expense},{_yuan(balance)},支付宝,{kind},{memo}")
    start = _beijing(day)[:10].replace("-", "年", 1).replace("-", "月") + "日"
    return "\n".join(["#支付宝账务明细查询", f"#账号：[{account}]", f"#起始日期：[{start} 00:00:00]",
                      f"#{'-' * 41}账务明细列表{'-' * 40}",
                      ALIPAY_HEADER, *rows, f"#{'-' * 41}账务明细列表结束{'-' * 36}"])


WECHAT_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
                 "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
                 "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注")
WECHAT_TOTALS = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"


def wechatpay_tradebill(entries: Sequence[Entry]) -> str:
    """微信支付交易账单 (ALL): a SUCCESS row per payment, a REFUND row per refund, every cell after a backtick, the
    totals header and row at the end."""
    rows = []
    for e in entries:
        transaction = f"42000025{e.at.astimezone(SHANGHAI):%Y%m%d}{e.n:010d}"
        refund = e.kind == REFUND
        cells = [_beijing(e.at), "wx8888888888888888", "1900000109", "0", "", transaction, e.order,
                 "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "JSAPI", "REFUND" if refund else "SUCCESS", "CMB_CREDIT", "CNY",
                 _amount(e, 0 if refund else e.gross), "0.00", f"50300{e.n:010d}" if refund else "0",
                 f"R{e.order}" if refund else "0", _yuan(e.gross if refund else 0), "0.00",
                 "ORIGINAL" if refund else "", "SUCCESS" if refund else "", "商品", "", f"{_yuan(e.fee)}000", "0.60%",
                 _amount(e, e.gross), _yuan(e.gross if refund else 0), ""]
        rows.append(",".join(f"`{cell}" for cell in cells))
    paid = sum(e.gross for e in entries if e.kind == SALE)
    refunded = sum(e.gross for e in entries if e.kind == REFUND)
    fees = sum(e.fee for e in entries)
    totals = [str(len(entries)), _yuan(paid), _yuan(refunded), "0.00", f"{_yuan(fees)}000", _yuan(paid),
              _yuan(refunded)]
    return "\n".join([WECHAT_HEADER, *rows, WECHAT_TOTALS, ",".join(f"`{cell}" for cell in totals)])


DOUYIN_HEADER = ("结算时间,结算单号,订单号,子订单号,商品ID,商品数量,下单时间,业务类型,订单类型,结算账户,结算单类型,"
                 "订单总价,商品总价,运费,店铺券,结算前退款金额,平台补贴,达人补贴,抖音支付补贴,DOU分期营销补贴,用户实付,"
                 "收入合计,平台服务费,佣金,渠道分成,团长服务费,直播间站外推广,其他分成,合计支出,商家实收,备注,打包费")


def douyin_settlement(entries: Sequence[Entry]) -> str:
    """抖店结算账单: a row per settled order (its one sub-order), 结算后退款 rows for money given back after; the
    fees all under 平台服务费."""
    rows = []
    for e in entries:
        refund = e.kind == REFUND
        gross = -e.gross if refund else e.gross
        kind = "结算后退款-原路退回" if refund else "已结算"
        settled_at = e.at + timedelta(hours=1)
        paid = _amount(e, gross)
        rows.append(f"{_beijing(settled_at)},SB{settled_at.astimezone(SHANGHAI):%Y%m%d}{e.n:08d},{e.order},"
                    f"{e.order}1,3671234567890123456,1,{_beijing(e.at)},精选联盟,普通订单,聚合账户,{kind},{paid},{paid},"
                    f"0.00,0.00,0.00,0.00,0.00,0.00,0.00,{paid},{paid},{_yuan(e.fee)},0.00,0.00,0.00,0.00,0.00,"
                    f"{_yuan(e.fee)},{_amount(e, gross - e.fee)},,0.00")
    return "\n".join([DOUYIN_HEADER, *rows])


JD_HEADER = ("订单编号,单据编号,单据类型,商品编号,商品名称,费用项,收支方向,结算状态,下单时间,费用计费时间,金额,币种,"
             "商户订单号,钱包结算备注")


def jd_settlement(entries: Sequence[Entry]) -> str:
    """京东账单明细: 货款 in per sale with its 佣金 out under one 单据编号; a 售后服务单's 货款 out per refund."""
    rows = []
    for e in entries:
        document = f"DJ{e.at.astimezone(SHANGHAI):%y%m%d}{e.n:06d}"
        head = f"{e.order},{document},{'售后服务单' if e.kind == REFUND else '订单'},100012345678,商品"
        when = f"结算完成,{_beijing(e.at)},{_beijing(e.at + timedelta(hours=2))}"
        if e.kind == REFUND:
            rows.append(f"{head},货款,支出,{when},{_yuan(-e.gross)},人民币,JD{e.order},")
            continue
        rows.append(f"{head},货款,收入,{when},{_amount(e, e.gross)},人民币,JD{e.order},")
        if e.fee:
            rows.append(f"{head},佣金,支出,{when},{_yuan(-e.fee)},人民币,JD{e.order},")
    return "\n".join([JD_HEADER, *rows])


def shopee_escrow(entries: Sequence[Entry]) -> str:
    """`get_escrow_list` and each order's `get_escrow_detail`: a refund goes into its order's answer as
    `seller_return_refund`; commission and transaction fee split the fee."""
    refunds = {e.order: e.gross for e in entries if e.kind == REFUND}
    listed, answers = [], []
    for e in (e for e in entries if e.kind != REFUND):
        refund = refunds.pop(e.order, 0) if e.kind == SALE else 0
        escrow = e.gross - e.fee - refund
        released = int((e.at + timedelta(days=3)).timestamp())
        listed.append({"order_sn": e.order, "payout_amount": escrow / 100, "escrow_release_time": released})
        commission = e.fee // 2
        income: dict[str, Any] = {
            "escrow_amount": "n/a" if e.kind == BROKEN else escrow / 100, "buyer_total_amount": e.gross / 100,
            "original_price": e.gross / 100, "commission_fee": commission / 100, "service_fee": 0.0,
            "seller_transaction_fee": (e.fee - commission) / 100, "seller_return_refund": -refund / 100, "items": []}
        answers.append({"request_id": f"demo{e.n:08d}", "error": "", "message": "",
                        "response": {"order_sn": e.order, "return_order_sn_list": [f"R{e.order}"] if refund else [],
                                     "order_income": income}})
    return json.dumps({"escrow_list": listed, "escrows": answers}, indent=2, ensure_ascii=False)


WRITERS: dict[str, Callable[[Sequence[Entry], str], str]] = {
    "shopify_payments": shopify_payments,
    "alipay_bill": lambda entries, currency: alipay_bill(entries),
    "wechatpay_tradebill": lambda entries, currency: wechatpay_tradebill(entries),
    "douyin_settlement": lambda entries, currency: douyin_settlement(entries),
    "jd_settlement": lambda entries, currency: jd_settlement(entries),
    "shopee_escrow": lambda entries, currency: shopee_escrow(entries),
}
