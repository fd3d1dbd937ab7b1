"""ERP test support: a sandbox Odoo behind the hub's HTTP client, a connection to it, and the ERP rows a refused
command must leave as they were."""

import json
from typing import Any

import httpx2
from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.erp.model import ErpConflict, ErpConnection, ErpCursor, ErpDocument, ErpMapping

ODOO_URL = "http://odoo.sandbox.test"
ODOO_LOGIN = {"database": "flexhub", "login": "hub@brand.example", "api_key": "odoo-key-1"}
ERPNEXT_URL = "http://erpnext.sandbox.test"
ERPNEXT_LOGIN = {"api_key": "erpnext-key", "api_secret": "erpnext-secret"}
KINGDEE_URL = "http://kingdee.sandbox.test/k3cloud"
KINGDEE_LOGIN = {"acct_id": "62f0a1", "username": "hub", "app_id": "kd-app-1", "app_secret": "kd-app-secret",
                 "lcid": "2052"}


def erp_rows(hub: Hub) -> tuple[int, ...]:
    with hub.uow(write=False) as uow:
        return tuple(uow.connection.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (ErpConnection, ErpDocument, ErpMapping, ErpCursor, ErpConflict))


def documents(hub: Hub) -> list[Any]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(ErpDocument).order_by(ErpDocument.created_at, ErpDocument.id)))


def publish(shop: Any) -> None:
    """The outbox's events to their consumers, then every due document to the ERP (`shop`: anything with a `hub`)."""
    shop.hub.relay.run_once()
    shop.hub.erp_sender.run_once()


def behind_sandbox(hub: Hub, sandbox: Any) -> Any:
    """The hub's outbound calls answered by `sandbox` (any sandbox ERP: its `handle` answers an httpx2 request)."""
    hub.http = httpx2.Client(transport=httpx2.MockTransport(sandbox.handle))
    return sandbox


def odoo_body(code: str = "odoo", url: str = ODOO_URL, **fields: Any) -> dict[str, Any]:
    return {"code": code, "kind": "odoo", "url": url, **ODOO_LOGIN, **fields}


def settlement(order: str = "1001") -> str:
    """A Shopify Payments statement (balance transactions as the Admin API answers them): a 99.00 charge with a
    3.17 fee, a 20.00 refund, a 5.00 dispute, and the 70.83 left paid out to the bank."""
    rows = [("charge", order, "99.00", "3.17"), ("refund", order, "-20.00", "0.00"), ("dispute", None, "-5.00", "0.00"),
            ("payout", None, "-70.83", "0.00")]
    return json.dumps({"transactions": [
        {"id": 7100000 + n, "type": kind, "test": False, "payout_id": 9100001, "payout_status": "paid",
         "currency": "USD", "amount": amount, "fee": fee, "net": f"{float(amount) - float(fee):.2f}",
         "source_id": 7200000 + n, "source_type": kind, "source_order_id": int(order_id) if order_id else None,
         "source_order_transaction_id": None, "processed_at": f"2026-12-0{n + 1}T10:00:00Z",
         "adjustment_order_transactions": None, "adjustment_reason": None}
        for n, (kind, order_id, amount, fee) in enumerate(rows)]}, indent=2)


# The journal of settlement(): role → (debit, credit) in minor units (the platform's balance ends where it began).
SETTLEMENT_JOURNAL = {"fees": (317, 0), "bank": (7083, 0), "receivable": (0, 7900), "adjustments": (500, 0)}
