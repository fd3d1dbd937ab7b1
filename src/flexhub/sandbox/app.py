"""The sandbox's HTTP face: each store's API under /{platform}/{store}/..., and /_sandbox/ to drive it.

    GET  /_sandbox/stores                                   every store: credentials, listings, figures
    GET  /_sandbox/stores/{platform}/{store}/log?last=N      the calls it received and webhooks it sent
    POST /_sandbox/stores/{platform}/{store}/orders         {"lines": {"<seller sku>": quantity}}: a buyer orders
    POST /_sandbox/stores/{platform}/{store}/orders/{id}/resend    the order's webhook once more
"""

import dataclasses
import json

from fastapi import FastAPI, HTTPException, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from flexhub.kernel import clock
from flexhub.sandbox.market import Market
from flexhub.sandbox.platform import Received
from flexhub.sandbox.store import Store

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class OrderIn(BaseModel):
    lines: dict[str, int] = Field(min_length=1)


def create_app(market: Market) -> FastAPI:
    app = FastAPI(title="flexhub sandbox marketplaces", docs_url="/_sandbox/docs", openapi_url="/_sandbox/openapi.json")

    def store_of(platform: str, code: str) -> Store:
        store = market.store(platform, code)
        if store is None:
            raise HTTPException(404, f"no {platform} store {code}")
        return store

    @app.get("/_sandbox/stores")
    def stores() -> list[dict]:
        return [store.view() for store in market.stores.values()]

    @app.get("/_sandbox/stores/{platform}/{code}/log")
    def store_log(platform: str, code: str, last: int = 100) -> list[dict]:
        entries = store_of(platform, code).log[-last:]
        return [{**dataclasses.asdict(entry), "at": entry.at.isoformat()} for entry in entries]

    @app.post("/_sandbox/stores/{platform}/{code}/orders", status_code=201)
    def place_order(platform: str, code: str, body: OrderIn) -> dict:
        store = store_of(platform, code)
        unknown = sorted(set(body.lines) - set(store.listings))
        if unknown:
            raise HTTPException(404, f"{store.name} lists no {', '.join(unknown)}")
        order = market.place_order(store, body.lines)
        if order is None:
            raise HTTPException(409, "a listing shows too little: the store refuses the order")
        return store.platform.document(store, order)

    @app.post("/_sandbox/stores/{platform}/{code}/orders/{external_id}/resend", status_code=202)
    def resend(platform: str, code: str, external_id: str) -> dict:
        store = store_of(platform, code)
        if external_id not in store.orders or not store.platform.pushes_orders:
            raise HTTPException(404, f"{store.name} has no webhook for order {external_id}")
        market.resend(store, external_id)
        return {"resent": external_id}

    @app.api_route("/{platform}/{code}/{path:path}", methods=METHODS, include_in_schema=False)
    async def platform_api(platform: str, code: str, path: str, request: Request) -> Response:
        received = Received(request.method, "/" + path, dict(request.query_params), request.headers,
                            await request.body(), clock.now())
        answer = await run_in_threadpool(market.serve, platform, code, received)
        content = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body, ensure_ascii=False)
        return Response(content, status_code=answer.status, headers=answer.headers, media_type="application/json")

    return app
