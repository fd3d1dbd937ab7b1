"""Payment notifications: POST /webhooks/payments/wechatpay/{tenant_id}, verified with the tenant's WeChat Pay
merchant account before anything is read, 204 when applied (or applied already); POST
/webhooks/payments/alipay/{tenant_id} (a form), verified with the tenant's Alipay app, answered the text `success`
Alipay stops sending on. A bad signature is 401 `payments.bad_signature` and nothing is written."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from flexhub.api.auth import HubDep
from flexhub.kernel.messages import Actor
from flexhub.stores.commands import TakeAlipayPayment, TakePayment
from flexhub.stores.payments import alipay

router = APIRouter(tags=["stores"])


@router.post("/webhooks/payments/wechatpay/{tenant_id}", status_code=204, response_class=Response)
async def wechatpay_notification(tenant_id: uuid.UUID, request: Request, hub: HubDep) -> Response:
    body = (await request.body()).decode("utf-8", errors="replace")
    actor = Actor(tenant_id=tenant_id, role="admin", name="wechatpay")
    await run_in_threadpool(hub.handle, TakePayment(actor=actor, headers=dict(request.headers), body=body))
    return Response(status_code=204)


# Refusals are the hub's JSON error body, not the route's text: say so, or the document would claim text/plain.
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"description": what, "content": {"application/json": {}}}
    for status, what in ((401, "a bad signature (payments.bad_signature), nothing written"),
                         (404, "no such tenant, app or sale"), (409, "the sale cannot take this payment"),
                         (422, "not a notification"))}


@router.post("/webhooks/payments/alipay/{tenant_id}", response_class=PlainTextResponse, responses=REFUSALS)
async def alipay_notification(tenant_id: uuid.UUID, request: Request, hub: HubDep) -> PlainTextResponse:
    form = {key: str(value) for key, value in (await request.form()).items()}
    actor = Actor(tenant_id=tenant_id, role="admin", name="alipay")
    await run_in_threadpool(hub.handle, TakeAlipayPayment(actor=actor, form=form))
    return PlainTextResponse(alipay.ACKNOWLEDGED)
