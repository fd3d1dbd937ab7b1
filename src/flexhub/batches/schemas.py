"""Batch request and answer shapes."""

from datetime import datetime

from pydantic import BaseModel, Field


class BatchIn(BaseModel):
    action: str = Field(description="hold | release | cancel | route | ship")
    order_ids: list[str] = Field(max_length=500)
    reason: str = Field(default="", max_length=500, description="kept with a hold or a cancel")
    carrier: str | None = Field(default=None, max_length=32, description="the carrier of the shipments made")


class BatchOrderOut(BaseModel):
    order_id: str
    external_id: str
    status: str
    state: str  # pending | running | done | failed
    outcome: str | None  # the order's status after (or the shipments made), or the error's code
    error: str | None


class BatchOut(BaseModel):
    id: str
    action: str
    state: str  # running | done
    total: int
    done: int
    failed: int
    waiting: int
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    orders: list[BatchOrderOut]
