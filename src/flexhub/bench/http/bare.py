"""The reference: a FastAPI app with one JSON POST and nothing behind it, served by the same uvicorn (httptools,
uvloop, the same workers) as flexhub in the same run. What flexhub's figure is divided by."""

from typing import Any

from fastapi import FastAPI

app = FastAPI()


@app.post("/api/v1/orders", status_code=201)
async def take(body: dict[str, Any]) -> dict[str, Any]:
    return {"external_id": body.get("external_id"), "status": "reserved"}
