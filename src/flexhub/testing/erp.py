"""ERP test support: a sandbox Odoo behind the hub's HTTP client, a connection to it, and the ERP rows a refused
command must leave as they were."""

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
