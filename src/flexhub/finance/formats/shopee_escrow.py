"""Shopee escrow details: the answers of the Shopee Open Platform's `v2.payment.get_escrow_detail` (one per order,
`{"request_id", "error", "message", "response": {"order_sn", "return_order_sn_list", "order_income": {...}}}`),
collected for a period beside the period's `v2.payment.get_escrow_list` (`{"order_sn", "payout_amount",
"escrow_release_time"}` per order, which dates each order's escrow): `{"escrow_list": [...], "escrows": [...]}`.

An answer is read as the order's sale, dated by its release time and numbered by the line it starts on:
`escrow_amount` is what the seller receives; the platform's fees are `commission_fee`, `service_fee`,
`seller_transaction_fee`, `campaign_fee` and `order_ams_commission_fee` (the affiliate commission), as the
documented escrow_amount formula subtracts them; the gross is the escrow plus those fees, less
`seller_return_refund` (negative: money given back on a return, which the formula adds), which becomes a refund line
of its own, numbered by the line it is on.

The answers name no currency: amounts are read with two decimals in the shop's currency (the channel's)."""

import json
from datetime import UTC, datetime
from typing import Any

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import REFUND, SALE, StatementLine, unreadable
from flexhub.finance.formats.reading import json_items, money

# What Shopee charges the seller on the order, as the escrow_amount formula of get_escrow_detail subtracts it (its
# taxes, shipping and protection premiums are not fees: they stay in the gross)
FEES = ("commission_fee", "service_fee", "seller_transaction_fee", "campaign_fee", "order_ams_commission_fee")
REFUND_FIELD = '"seller_return_refund"'
CURRENCY = "XXX"  # two decimals, whatever the shop's currency: the answer does not say


class ShopeeEscrow:
    format = "shopee_escrow"
    title = "Shopee escrow details (v2.payment.get_escrow_detail answers, JSON)"

    def parse(self, content: str) -> list[StatementLine]:
        try:
            items = json_items(content, "escrows")
            released = _release_times(json.loads(content))
        except ValueError as error:
            raise UnreadableStatement(f"not {self.title}: {error}") from None
        lines: list[StatementLine] = []
        for line_no, raw, entry in items:
            lines += _lines(line_no, raw, entry, released)
        return lines


def _release_times(document: Any) -> dict[str, datetime]:
    """When each order's escrow was released, from the escrow list (unix seconds); an entry it cannot read dates
    nothing, and its order's lines stay undated."""
    listed = document.get("escrow_list") if isinstance(document, dict) else None
    if not isinstance(listed, list):
        raise ValueError('expected {"escrow_list": [...], "escrows": [...]}')
    times = {}
    for item in listed:
        stamp = item.get("escrow_release_time") if isinstance(item, dict) else None
        if isinstance(stamp, int) and not isinstance(stamp, bool) and 0 < stamp < 2**32:
            times[str(item.get("order_sn"))] = datetime.fromtimestamp(stamp, UTC)
    return times


def _lines(line_no: int, raw: str, entry: Any, released: dict[str, datetime]) -> list[StatementLine]:
    try:
        return _read(line_no, raw, entry, released)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return [unreadable(line_no, raw, f"{type(error).__name__}: {error}")]


def _read(line_no: int, raw: str, entry: dict[str, Any], released: dict[str, datetime]) -> list[StatementLine]:
    if entry.get("error"):
        raise ValueError(f"the answer is an error: {entry['error']} {entry.get('message') or ''}".strip())
    answer = entry.get("response", entry)
    order, income = str(answer["order_sn"]), answer["order_income"]
    escrow = _amount(income["escrow_amount"])
    fee = sum(_amount(income.get(name, 0)) for name in FEES)
    refund = _amount(income.get("seller_return_refund", 0))
    returns = ", ".join(answer.get("return_order_sn_list") or []) or "-"
    at = released.get(order)
    sale = StatementLine(line_no=line_no, raw=raw, kind=SALE, external_id=order, amount=escrow + fee - refund,
                         fee=fee, occurred_at=at, reference=order, description=f"escrow {escrow} (returns: {returns})")
    if not refund:
        return [sale]
    refund_line = line_no + raw[:raw.index(REFUND_FIELD)].count("\n")
    return [sale, StatementLine(line_no=refund_line, raw=raw, kind=REFUND, external_id=order, amount=refund,
                                occurred_at=at, reference=returns, description="seller_return_refund")]


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not an amount")
    return money(repr(value) if isinstance(value, float) else str(value), CURRENCY)
