"""Shopify Payments balance transactions: the JSON the Admin API answers for
`GET /admin/api/{version}/shopify_payments/balance/transactions.json` (`{"transactions": [...]}`, or the bare
list). Each transaction is one line, numbered by the line of the file it starts on and kept as its exact text:
`charge` pays an order (`amount` gross, `fee`, `net`), `refund` pays one back, `payout` and its failures move
the balance to the bank, the rest (`dispute`, `reserve`, `adjustment`, `credit`, `debit`) are adjustments."""

from datetime import datetime
from typing import Any

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, PAYOUT, REFUND, SALE, StatementLine, unreadable
from flexhub.finance.formats.reading import currency_code, json_items, money
from flexhub.kernel.clock import as_utc

KINDS = {
    "charge": SALE, "refund": REFUND, "payout": PAYOUT, "payout_failure": PAYOUT, "payout_cancellation": PAYOUT,
    "dispute": ADJUSTMENT, "reserve": ADJUSTMENT, "adjustment": ADJUSTMENT, "credit": ADJUSTMENT,
    "debit": ADJUSTMENT,
}


class ShopifyPayments:
    format = "shopify_payments"
    title = "Shopify Payments balance transactions (JSON)"

    def parse(self, content: str) -> list[StatementLine]:
        try:
            items = json_items(content, "transactions")
        except ValueError as error:
            raise UnreadableStatement(f"not {self.title}: {error}") from None
        return [_line(line_no, raw, entry) for line_no, raw, entry in items]


def _line(line_no: int, raw: str, entry: Any) -> StatementLine:
    try:
        return _read(line_no, raw, entry)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return unreadable(line_no, raw, f"{type(error).__name__}: {error}")


def _read(line_no: int, raw: str, entry: dict[str, Any]) -> StatementLine:
    kind = KINDS.get(entry["type"])
    if kind is None:
        raise ValueError(f"unknown transaction type {entry['type']!r}")
    currency = currency_code(entry["currency"])
    amount, fee, net = (money(str(entry[key]), currency) for key in ("amount", "fee", "net"))
    if amount - fee != net:
        raise ValueError(f"amount {entry['amount']} less fee {entry['fee']} is not net {entry['net']}")
    order = entry.get("source_order_id")
    return StatementLine(
        line_no=line_no, raw=raw, kind=kind, external_id=None if order is None else str(order), amount=amount,
        fee=fee, currency=currency, occurred_at=as_utc(datetime.fromisoformat(entry["processed_at"])),
        reference=str(entry["id"]), description=f"{entry['type']} ({entry.get('source_type') or '-'})",
    )
