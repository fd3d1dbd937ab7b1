"""Live updates: the overview's figures every few seconds as server-sent events."""

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from flexhub.api.auth import HubDep
from flexhub.web.pages import overview_figures
from flexhub.web.session import WebActor

router = APIRouter(include_in_schema=False)
EVERY_S = 2.0


@router.get("/live")
async def live(request: Request, actor: WebActor, hub: HubDep, once: bool = False) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        while not await request.is_disconnected():
            figures = await run_in_threadpool(overview_figures, hub, actor)
            yield f"event: figures\ndata: {json.dumps(figures, default=str)}\n\n"
            if once:
                return
            await asyncio.sleep(EVERY_S)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"cache-control": "no-store"})
