"""ERP reads: a connection's status (last sync, backlog, errors), its documents, mappings and conflicts."""

import uuid
from typing import Any

from sqlalchemy import Connection, func, select

from flexhub.db.jobs import QueuedJob
from flexhub.erp import repository, rules
from flexhub.erp.model import ErpConflict, ErpConnection, ErpDocument, ErpMapping


def status(connection: Connection, tenant_id: uuid.UUID, code: str, *, limit: int = 50) -> dict[str, Any]:
    """What waits (pending documents), and what failed: the connection's last read if it failed, then each document
    that failed its last try or was parked, with why and when it is tried again."""
    erp = repository.connection_by_code(connection, tenant_id, code)
    counts = dict(connection.execute(
        select(ErpDocument.state, func.count()).where(ErpDocument.tenant_id == tenant_id,
                                                      ErpDocument.connection_id == erp.id)
        .group_by(ErpDocument.state)).all())
    unmapped = connection.execute(
        select(func.count()).where(ErpMapping.tenant_id == tenant_id, ErpMapping.connection_id == erp.id,
                                   (ErpMapping.hub_code.is_(None)) | (ErpMapping.erp_ref.is_(None)))).scalar_one()
    conflicts = connection.execute(
        select(func.count()).where(ErpConflict.tenant_id == tenant_id,
                                   ErpConflict.connection_id == erp.id)).scalar_one()
    return {"code": erp.code, "kind": erp.kind, "last_sync_at": erp.last_sync_at,
            "backlog": int(counts.get("pending", 0)), "sent": int(counts.get("sent", 0)),
            "dead": int(counts.get("dead", 0)), "unmapped": int(unmapped), "conflicts": int(conflicts),
            "reading": _reading(erp),
            "errors": _errors(connection, tenant_id, [erp], limit)}


def failures(connection: Connection, tenant_id: uuid.UUID, *, limit: int = 100) -> list[dict[str, Any]]:
    """Every connection's failing reads and documents (the exceptions queue's ERP part), each naming its
    connection: a person maps, retries or fixes the ERP side."""
    return _errors(connection, tenant_id, repository.connections_of(connection, tenant_id), limit)


def _errors(connection: Connection, tenant_id: uuid.UUID, erps: list[Any], limit: int) -> list[dict[str, Any]]:
    reads = [{**_read_error(erp), "connection": erp.code} for erp in erps if erp.read_error]
    if not erps or limit <= 0:
        return reads[:max(limit, 0)]
    codes = {erp.id: erp.code for erp in erps}
    failing = list(connection.execute(
        select(ErpDocument).where(ErpDocument.tenant_id == tenant_id, ErpDocument.connection_id.in_(codes),
                                  ErpDocument.state != "sent", ErpDocument.last_error.is_not(None))
        .order_by(ErpDocument.created_at.desc(), ErpDocument.id).limit(limit)))
    keys = [str(row.id) for row in failing if row.state == "pending"]
    next_try = dict(connection.execute(select(QueuedJob.key, QueuedJob.run_after).where(
        QueuedJob.tenant_id == tenant_id, QueuedJob.kind == rules.DOCUMENT_JOB, QueuedJob.key.in_(keys),
        QueuedJob.state == "pending")).all()) if keys else {}
    documents = [{**_document(row), "source": "document", "connection": codes[row.connection_id],
                  "next_try_at": next_try.get(str(row.id))} for row in failing]
    return (reads + documents)[:limit]


def _reading(erp: Any) -> dict[str, Any]:
    return {"error": erp.read_error, "failures": erp.read_failures, "failed_at": erp.read_failed_at,
            "next_try_at": erp.read_after}


def _read_error(erp: Any) -> dict[str, Any]:
    """A failing read as one of the status's errors: the shape of a document's, its kind `read`."""
    return {"id": str(erp.id), "source": "read", "kind": "read", "hub_ref": None, "state": "retrying",
            "attempts": erp.read_failures, "error": erp.read_error, "erp_id": None, "sent_at": None,
            "created_at": erp.read_failed_at, "next_try_at": erp.read_after}


def connections(connection: Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    return [{"code": r.code, "kind": r.kind, "url": r.url, "allow_private": r.allow_private,
             "last_sync_at": r.last_sync_at} for r in repository.connections_of(connection, tenant_id)]


def documents(connection: Connection, tenant_id: uuid.UUID, code: str, *, limit: int = 100) -> list[dict[str, Any]]:
    erp = repository.connection_by_code(connection, tenant_id, code)
    rows = connection.execute(select(ErpDocument).where(ErpDocument.tenant_id == tenant_id,
                                                        ErpDocument.connection_id == erp.id)
                              .order_by(ErpDocument.created_at.desc(), ErpDocument.id).limit(limit))
    return [_document(row) for row in rows]


def mappings(connection: Connection, tenant_id: uuid.UUID, code: str) -> list[dict[str, Any]]:
    erp = repository.connection_by_code(connection, tenant_id, code)
    rows = connection.execute(select(ErpMapping).where(ErpMapping.tenant_id == tenant_id,
                                                       ErpMapping.connection_id == erp.id)
                              .order_by(ErpMapping.kind, ErpMapping.hub_code, ErpMapping.erp_ref))
    return [{"kind": r.kind, "hub_code": r.hub_code, "erp_ref": r.erp_ref, "erp_name": r.erp_name,
             "mapped": r.hub_code is not None and r.erp_ref is not None} for r in rows]


def conflicts(connection: Connection, tenant_id: uuid.UUID, code: str) -> list[dict[str, Any]]:
    erp = repository.connection_by_code(connection, tenant_id, code)
    rows = connection.execute(select(ErpConflict).where(ErpConflict.tenant_id == tenant_id,
                                                        ErpConflict.connection_id == erp.id)
                              .order_by(ErpConflict.seen_at.desc(), ErpConflict.key))
    return [{"entity": r.entity, "key": r.key, "field": r.field, "hub_value": r.hub_value,
             "erp_value": r.erp_value, "seen_at": r.seen_at} for r in rows]


def connection_count(connection: Connection, tenant_id: uuid.UUID) -> int:
    return int(connection.execute(select(func.count()).where(ErpConnection.tenant_id == tenant_id)).scalar_one())


def _document(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "kind": row.kind, "hub_ref": row.hub_ref, "state": row.state,
            "attempts": row.attempts, "error": row.last_error, "erp_id": row.erp_id, "sent_at": row.sent_at,
            "created_at": row.created_at}
