"""Payment notifications: POST /webhooks/payments/wechatpay/{tenant_id}, verified with the tenant's WeChat Pay
merchant account before anything is read, 204 when applied (or applied already); POST
/webhooks/payments/alipay/{tenant_id} (a form), verified with the tenant's Alipay app, answered the text `success`
Alipay stops sending on. A bad signature is 401 `payments.bad_signature` and nothing is written."""

import uuid

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


@router.post("/webhooks/payments/alipay/{tenant_id}", response_class=PlainTextResponse)
async def alipay_notification(tenant_id: uuid.UUID, request: Request, hub: HubDep) -> PlainTextResponse:
    form = {key: str(value) for key, value in (await request.form()).items()}
    actor = Actor(tenant_id=tenant_id, role="admin", name="alipay")
    await run_in_threadpool(hub.handle, TakeAlipayPayment(actor=actor, form=form))
    return PlainTextResponse(alipay.ACKNOWLEDGED)
