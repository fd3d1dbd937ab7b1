"""`POST /webhooks/carriers/{carrier}/{account}`: a carrier's tracking push, verified against the carrier account
it names (bad → 401, nothing stored), kept raw and answered as the carrier expects; recording follows in a
worker. Query parameters are handed to the adapter beside the headers (SF's push URL carries our token)."""

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from flexhub.api.auth import HubDep
from flexhub.fulfillment.carrier_pushes import receive_push

router = APIRouter(prefix="/webhooks/carriers", tags=["webhooks"])
SIGNED: dict[int | str, dict[str, Any]] = {
    401: {"description": "bad signature: nothing stored"}, 404: {"description": "no such carrier account"},
}


@router.post("/{carrier}/{account}", responses=SIGNED, response_class=Response)
async def carrier_push(carrier: str, account: str, request: Request, hub: HubDep) -> Response:
    """Carriers call this with their signed tracking pushes; the answer comes before the scans are recorded."""
    signals = {k.lower(): v for k, v in request.query_params.items()}
    signals.update({k.lower(): v for k, v in request.headers.items()})
    ack = await run_in_threadpool(receive_push, hub, carrier, account, signals, await request.body())
    hub.tracking_arrived.set()
    return Response(ack, media_type="application/json")
