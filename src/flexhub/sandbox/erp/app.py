"""The sandbox ERPs served over HTTP, one path prefix each: `/odoo/jsonrpc`, `/erpnext/api/resource/...`,
`/kingdee/Kingdee.BOS.WebApi.ServicesStub....common.kdsvc`. A connection's `url` is the server's address with the
prefix (`http://127.0.0.1:8102/odoo`). A timeout or a lost answer is a 504 from the gateway in front, as a real
deployment would give."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from flexhub.sandbox.erp.erpnext import ErpNextSandbox
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.sandbox.erp.odoo import OdooSandbox

Handler = Callable[[httpx2.Request], httpx2.Response]
PASSED = ("content-type", "retry-after", "set-cookie")


@dataclass
class SandboxErps:
    """One of each ERP, holding the same products."""

    odoo: OdooSandbox = field(default_factory=OdooSandbox)
    erpnext: ErpNextSandbox = field(default_factory=ErpNextSandbox)
    kingdee: KingdeeSandbox = field(default_factory=KingdeeSandbox)

    def stock(self, skus: list[str], cost: float = 25.0) -> None:
        for sku in skus:
            self.odoo.add("product.product", {"name": sku, "default_code": sku, "standard_price": cost})
            self.erpnext.add("Item", {"item_code": sku, "item_name": sku, "valuation_rate": cost})
            self.kingdee.add("BD_MATERIAL", {"FNumber": sku, "FName": sku, "FRefCost": cost})

    def handlers(self) -> dict[str, Handler]:
        return {"odoo": self.odoo.handle, "erpnext": self.erpnext.handle, "kingdee": self.kingdee.handle}

    def connections(self, base_url: str) -> list[dict[str, Any]]:
        """Bodies for POST /api/v1/erp/connections, one per ERP, allowed to be local."""
        base = base_url.rstrip("/")
        kingdee = self.kingdee
        return [
            {"code": "odoo", "kind": "odoo", "url": f"{base}/odoo", "allow_private": True,
             "database": self.odoo.database, "login": next(iter(self.odoo.users)),
             "api_key": next(iter(self.odoo.users.values()))[1]},
            {"code": "erpnext", "kind": "erpnext", "url": f"{base}/erpnext", "allow_private": True,
             "api_key": self.erpnext.api_key, "api_secret": self.erpnext.api_secret},
            {"code": "kingdee", "kind": "kingdee", "url": f"{base}/kingdee", "allow_private": True,
             "acct_id": kingdee.acct_id, "username": kingdee.username, "app_id": kingdee.app_id,
             "app_secret": kingdee.app_secret, "lcid": "2052"},
        ]


def create_app(handlers: dict[str, Handler]) -> FastAPI:
    app = FastAPI(title="flexhub sandbox ERPs", docs_url=None, redoc_url=None, openapi_url=None)

    @app.api_route("/{kind}/{rest:path}", methods=["GET", "POST", "PUT"])
    async def wire(kind: str, rest: str, request: Request) -> Response:
        handle = handlers.get(kind)
        if handle is None:
            return Response(f"no sandbox ERP {kind}", status_code=404)
        forwarded = httpx2.Request(request.method, f"http://sandbox/{rest}",
                                   params=tuple(request.query_params.multi_items()),
                                   content=await request.body(),
                                   headers={k: v for k, v in request.headers.items() if k.lower() != "host"})
        try:
            answered = await run_in_threadpool(handle, forwarded)
        except httpx2.TimeoutException:
            return Response("Gateway Timeout", status_code=504)
        return Response(answered.content, status_code=answered.status_code,
                        headers={k: v for k, v in answered.headers.items() if k.lower() in PASSED})

    return app
