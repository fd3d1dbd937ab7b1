"""Money for the finance pages: fee terms for every channel the demo sells through, and after the day a Shopify
Payments statement of the day's Shopify orders as the platform would publish it, with a few differences planted
(a charge short, an order never paid, a charge for an order the hub does not know, a fee above the rate) — so the
reconciliation has something to find and profit uses real fees."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from flexhub.bootstrap import Hub
from flexhub.finance import ImportStatement, SetFeeTerms
from flexhub.finance.profit import profit_view
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries

# channel: (commission %, payment fee %, fixed per order in minor units)
TERMS = {
    "douyin-live-1": ("5", "0.6", 0), "douyin-live-2": ("5", "0.6", 0), "tmall-flagship": ("5", "0.6", 0),
    "jd-flagship": ("8", "0", 0), "shopify-global": ("2.9", "0", 30), "wechat-shop": ("0", "0.6", 0),
    "web": ("0", "0.6", 0), "shopee-reseller-sg": ("6", "2", 0), "shopee-reseller-my": ("6", "2", 0),
}
SHOPIFY = "shopify-global"
PAID = ("reserved", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered", "closed")


def seed_terms(hub: Hub, admin: Actor) -> None:
    since = date(clock.now().year, 1, 1)
    for channel, (commission, payment, fixed) in TERMS.items():
        hub.handle(SetFeeTerms(actor=admin, channel=channel, effective_from=since, commission_pct=Decimal(commission),
                               payment_fee_pct=Decimal(payment), fixed_per_order=fixed))


def import_statements(hub: Hub, admin: Actor) -> dict[str, int]:
    """The day's Shopify Payments statement, imported; its lines and the reconciliation's differences."""
    with hub.uow(write=False) as uow:
        orders = [o for o in order_queries.list_orders(uow.connection, admin.tenant_id, channel=SHOPIFY, limit=500)
                  if o["status"] in PAID]
    if len(orders) < 4:
        return {"lines": 0}
    kept = hub.handle(ImportStatement(actor=admin, channel=SHOPIFY, format="shopify_payments",
                                      content=shopify_statement(list(reversed(orders)))))
    return {"lines": kept.lines}


def shopify_statement(orders: list[dict[str, Any]]) -> str:
    """Balance transactions as `GET .../shopify_payments/balance/transactions.json` answers them."""
    transactions = []
    for n, order in enumerate(orders):
        if n == 1:
            continue  # never paid: missing_payout
        amount = order["total"] - (100 if n == 0 else 0)  # the first is paid 1.00 short: amount_mismatch
        fee = _fee(order["total"]) + (200 if n == 2 else 0)  # the third is charged 2.00 too much: fee_above_rate
        transactions.append(_charge(len(transactions), order["external_id"], amount, fee, order["placed_at"]))
    transactions.append(_charge(len(transactions), "5999999999", 4500, _fee(4500), orders[-1]["placed_at"]))
    paid = sum(int(Decimal(t["net"]) * 100) for t in transactions)
    transactions.append({"id": 7100000 + len(transactions), "type": "payout", "test": False, "payout_id": 9100001,
                         "payout_status": "paid", "currency": "USD", "amount": _text(-paid), "fee": "0.00",
                         "net": _text(-paid), "source_id": 9100001, "source_type": "payout",
                         "source_order_id": None, "source_order_transaction_id": None,
                         "processed_at": clock.now().isoformat(), "adjustment_order_transactions": None,
                         "adjustment_reason": None})
    return json.dumps({"transactions": transactions}, indent=2)


def _fee(total: int) -> int:
    return int((Decimal(total) * Decimal("0.029")).to_integral_value()) + 30


def _charge(n: int, order: str, amount: int, fee: int, at: Any) -> dict[str, Any]:
    return {"id": 7100000 + n, "type": "charge", "test": False, "payout_id": 9100001, "payout_status": "paid",
            "currency": "USD", "amount": _text(amount), "fee": _text(fee), "net": _text(amount - fee),
            "source_id": 7200000 + n, "source_type": "charge", "source_order_id": int(order),
            "source_order_transaction_id": 7300000 + n, "processed_at": (at or clock.now()).isoformat(),
            "adjustment_order_transactions": None, "adjustment_reason": None}


def _text(minor: int) -> str:
    return f"{Decimal(minor) / 100:.2f}"


def margins(hub: Hub, admin: Actor) -> dict[str, float | None]:
    """Gross margin per channel (the store's code) of everything the demo sold, as the finance page shows it."""
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, "store")["rows"]
    return {f"{row['key']} {row['currency']}": row["margin"] for row in rows}
