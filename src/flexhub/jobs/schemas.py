"""Job queue DTOs."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class JobOut(BaseModel):
    id: str
    kind: str
    key: str | None
    state: str
    attempts: int
    run_after: datetime
    last_error: str | None
    lease_owner: str | None
    lease_expires_at: datetime | None
    payload: dict[str, Any]
    tenant_id: str | None
    created_at: datetime
    updated_at: datetime


class JobsOut(BaseModel):
    jobs: list[JobOut]
    total: int
    limit: int
    offset: int


class RetriedJobOut(BaseModel):
    id: str
    state: str


class DeletedJobOut(BaseModel):
    id: str
    deleted: bool
