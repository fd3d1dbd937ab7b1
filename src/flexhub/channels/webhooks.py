"""`POST /webhooks/{platform}/{channel_code}`: verify, keep, acknowledge; importing follows in a worker.

The request awaits the hub's receipt desk (channels.receipt.ReceiptDesk), which verifies and keeps concurrent
webhooks together in one transaction: no thread is held while it waits. A served app answers the POST ahead of this
route, in its fast lane (api/webhook_lane.py), by the same steps; this route documents it and answers it elsewhere
(an app built without the lane, a client gone before its body arrived).

Some platforms sign in the query string (WeChat: signature, timestamp, nonce, msg_signature),
so query parameters are handed to the adapter beside the headers. `GET` on the same path answers
a platform's URL check (WeChat's `echostr`) once the signature verifies.
"""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from flexhub.api.auth import HubDep
from flexhub.channels.receipt import Receipt, check_url

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
SIGNED: dict[int | str, dict[str, Any]] = {401: {"description": "bad signature: nothing stored"}}


@router.post("/{platform}/{channel_code}", responses=SIGNED)
async def webhook(platform: str, channel_code: str, request: Request, hub: HubDep) -> dict:
    """Platforms call this with their signed payloads; the answer comes before the import."""
    body = await request.body()
    return received(await hub.receipts.receive(Receipt(platform, channel_code, signals_of(request), body)))


def received(message_id: uuid.UUID) -> dict[str, str]:
    """The answer to a webhook kept: its message's id."""
    return {"status": "received", "id": str(message_id)}


# The echo is plain text; errors stay JSON (a route-wide PlainTextResponse would document them as text).
ECHO: dict[int | str, dict[str, Any]] = {
    200: {"description": "the challenge, echoed", "content": {"text/plain": {"schema": {"type": "string"}}}},
}


@router.get("/{platform}/{channel_code}", responses={**SIGNED, **ECHO}, response_class=Response)
async def url_check(platform: str, channel_code: str, request: Request, hub: HubDep) -> PlainTextResponse:
    """A platform checking that this URL is ours: echo its challenge when the signature verifies."""
    await run_in_threadpool(check_url, hub, platform, channel_code, signals_of(request))
    return PlainTextResponse(request.query_params.get("echostr", ""))


def signals_of(request: Request) -> dict[str, str]:
    """What a platform may sign with: the query's parameters and the headers, names lower-cased."""
    signals = {k.lower(): v for k, v in request.query_params.items()}
    signals.update({k.lower(): v for k, v in request.headers.items()})
    return signals
