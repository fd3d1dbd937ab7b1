"""The reference for `bench inbound`: a FastAPI app that takes a signed webhook as a platform posts it, checks its
signature against the channel's secret and answers, storing nothing and importing nothing, under the same uvicorn
(httptools, uvloop, the same workers) as flexhub in the same run. The secrets come from
`FLEXHUB_BENCH_WEBHOOK_SECRETS` (JSON: channel code → secret)."""

import json
import os
import uuid

from fastapi import FastAPI, HTTPException, Request

from flexhub.channels.platforms.generic import HEADER
from flexhub.integrations.signing import hmac_sha256_hex, same

SECRETS: dict[str, str] = json.loads(os.environ.get("FLEXHUB_BENCH_WEBHOOK_SECRETS", "{}"))
app = FastAPI()


@app.post("/webhooks/generic/{channel_code}")
async def webhook(channel_code: str, request: Request) -> dict[str, str]:
    body = await request.body()
    secret = SECRETS.get(channel_code)
    if secret is None or not same("sha256=" + hmac_sha256_hex(secret, body), request.headers.get(HEADER)):
        raise HTTPException(401, "bad signature")
    return {"status": "received", "id": str(uuid.uuid4())}
