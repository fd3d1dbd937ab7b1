"""The read side of the queue: a page of a tenant's jobs, and one job."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub.db.jobs import queue


def list_jobs(connection: Connection, tenant_id: uuid.UUID | None, *, states: list[str] | None = None,
              kind: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    rows, total = queue.listing(connection, tenant_id=tenant_id, states=states, kind=kind, limit=limit, offset=offset)
    return {"jobs": [shown(row) for row in rows], "total": total, "limit": limit, "offset": offset}


def one_job(connection: Connection, tenant_id: uuid.UUID, job_id: uuid.UUID) -> dict[str, Any]:
    return shown(queue.one(connection, job_id, tenant_id))


def shown(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "kind": row.kind, "key": row.key, "state": row.state, "attempts": row.attempts,
            "run_after": row.run_after, "last_error": row.last_error, "lease_owner": row.lease_owner,
            "lease_expires_at": row.lease_expires_at, "payload": row.payload,
            "tenant_id": str(row.tenant_id) if row.tenant_id else None,
            "created_at": row.created_at, "updated_at": row.updated_at}
