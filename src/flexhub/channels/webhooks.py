"""`POST /webhooks/{platform}/{channel_code}`: verify, keep, acknowledge; importing follows in a worker."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from flexhub.api.auth import HubDep
from flexhub.channels.inbound import receive_webhook

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post("/{platform}/{channel_code}", responses={401: {"description": "bad signature: nothing stored"}})
async def webhook(platform: str, channel_code: str, request: Request, hub: HubDep) -> dict:
    """Platforms call this with their signed payloads; the answer comes before the import."""
    body = await request.body()
    message_id = await run_in_threadpool(receive_webhook, hub, platform, channel_code, dict(request.headers), body)
    hub.inbound_arrived.set()
    return {"status": "received", "id": str(message_id)}
