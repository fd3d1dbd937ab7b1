"""The only place with ERP SQL; every statement is scoped by tenant or by a connection found through it."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from flexhub.db.portable import insert_missing
from flexhub.erp.errors import UnknownConnection, UnknownDocument
from flexhub.erp.model import ErpConflict, ErpConnection, ErpCursor, ErpDocument, ErpMapping


def insert_connection(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(ErpConnection).values(**values))


def connection_by_code(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    row = connection.execute(select(ErpConnection).where(ErpConnection.tenant_id == tenant_id,
                                                         ErpConnection.code == code)).first()
    if row is None:
        raise UnknownConnection(f"no ERP connection {code}")
    return row


def connection_exists(connection: Connection, tenant_id: uuid.UUID, code: str) -> bool:
    query = select(ErpConnection.id).where(ErpConnection.tenant_id == tenant_id, ErpConnection.code == code)
    return connection.execute(query).first() is not None


def connections_of(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(ErpConnection).where(ErpConnection.tenant_id == tenant_id).order_by(ErpConnection.code)
    return list(connection.execute(query))


def connection_row(connection: Connection, connection_id: uuid.UUID) -> Any:
    return connection.execute(select(ErpConnection).where(ErpConnection.id == connection_id)).first()


def mark_synced(connection: Connection, connection_id: uuid.UUID, at: datetime) -> None:
    connection.execute(update(ErpConnection).where(ErpConnection.id == connection_id).values(last_sync_at=at))


def read_failed(connection: Connection, connection_id: uuid.UUID, error: str, at: datetime,
                after_s: Any) -> int:
    """A failed read kept on the connection: its reason, one more failure in a row, and when the poll tries again
    (`after_s`: the wait, given the failures so far). The failures in a row now."""
    failures = int(connection.execute(select(ErpConnection.read_failures)
                                      .where(ErpConnection.id == connection_id)).scalar_one()) + 1
    connection.execute(update(ErpConnection).where(ErpConnection.id == connection_id).values(
        read_error=error[:500], read_failures=failures, read_failed_at=at,
        read_after=at + timedelta(seconds=after_s(failures))))
    return failures


def read_succeeded(connection: Connection, connection_id: uuid.UUID) -> None:
    connection.execute(update(ErpConnection).where(ErpConnection.id == connection_id, ErpConnection.read_failures > 0)
                       .values(read_error=None, read_failures=0, read_failed_at=None, read_after=None))


def add_documents(connection: Connection, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    """One per connection, kind and hub id: a record seen again adds nothing. The ids of the rows added."""
    if not rows:
        return []
    keys = {(r["connection_id"], r["kind"], r["hub_ref"]) for r in rows}
    before = _document_ids(connection, keys)
    insert_missing(connection, ErpDocument.__table__, rows, ["connection_id", "kind", "hub_ref"])
    after = _document_ids(connection, keys)
    return [after[key] for key in after if key not in before]


def _document_ids(connection: Connection, keys: set[tuple[uuid.UUID, str, str]]) -> dict[tuple, uuid.UUID]:
    refs = {key[2] for key in keys}
    query = select(ErpDocument.id, ErpDocument.connection_id, ErpDocument.kind, ErpDocument.hub_ref) \
        .where(ErpDocument.hub_ref.in_(refs))
    return {(r.connection_id, r.kind, r.hub_ref): r.id for r in connection.execute(query)
            if (r.connection_id, r.kind, r.hub_ref) in keys}


def document(connection: Connection, document_id: uuid.UUID) -> Any:
    return connection.execute(select(ErpDocument).where(ErpDocument.id == document_id)).first()


def document_of(connection: Connection, tenant_id: uuid.UUID, connection_id: uuid.UUID, document_id: str) -> Any:
    try:
        wanted = uuid.UUID(document_id)
    except ValueError as error:
        raise UnknownDocument(f"no ERP document {document_id}") from error
    row = connection.execute(select(ErpDocument).where(
        ErpDocument.tenant_id == tenant_id, ErpDocument.connection_id == connection_id,
        ErpDocument.id == wanted)).first()
    if row is None:
        raise UnknownDocument(f"no ERP document {document_id}")
    return row


def sent_document(connection: Connection, connection_id: uuid.UUID, kind: str, hub_ref: str) -> Any:
    """The document of this kind for this hub id, once the ERP has it (its ERP id kept)."""
    return connection.execute(select(ErpDocument).where(
        ErpDocument.connection_id == connection_id, ErpDocument.kind == kind, ErpDocument.hub_ref == hub_ref,
        ErpDocument.erp_id.is_not(None))).first()


def update_document(connection: Connection, document_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(ErpDocument).where(ErpDocument.id == document_id).values(**values))


def mapping(connection: Connection, connection_id: uuid.UUID, kind: str, hub_code: str) -> Any:
    return connection.execute(select(ErpMapping).where(
        ErpMapping.connection_id == connection_id, ErpMapping.kind == kind,
        ErpMapping.hub_code == hub_code)).first()


def mapping_by_erp(connection: Connection, connection_id: uuid.UUID, kind: str, erp_ref: str) -> Any:
    return connection.execute(select(ErpMapping).where(
        ErpMapping.connection_id == connection_id, ErpMapping.kind == kind,
        ErpMapping.erp_ref == erp_ref)).first()


def keep_mapping(connection: Connection, tenant_id: uuid.UUID, connection_id: uuid.UUID, kind: str, *,
                 hub_code: str | None, erp_ref: str | None, erp_name: str | None = None) -> None:
    """Record what is known of a pair: fills an unmapped row's missing side, or adds the row."""
    existing = None
    if hub_code is not None:
        existing = mapping(connection, connection_id, kind, hub_code)
    if existing is None and erp_ref is not None:
        existing = mapping_by_erp(connection, connection_id, kind, erp_ref)
    if existing is None:
        connection.execute(insert(ErpMapping).values(tenant_id=tenant_id, connection_id=connection_id, kind=kind,
                                                     hub_code=hub_code, erp_ref=erp_ref, erp_name=erp_name))
        return
    values = {k: v for k, v in {"hub_code": hub_code, "erp_ref": erp_ref, "erp_name": erp_name}.items()
              if v is not None}
    connection.execute(update(ErpMapping).where(ErpMapping.id == existing.id).values(**values))


def cursor(connection: Connection, connection_id: uuid.UUID, stream: str) -> str | None:
    row = connection.execute(select(ErpCursor.cursor).where(ErpCursor.connection_id == connection_id,
                                                            ErpCursor.stream == stream)).first()
    return row.cursor if row else None


def set_cursor(connection: Connection, tenant_id: uuid.UUID, connection_id: uuid.UUID, stream: str, value: str,
               at: datetime) -> None:
    found = connection.execute(update(ErpCursor).where(ErpCursor.connection_id == connection_id,
                                                       ErpCursor.stream == stream)
                               .values(cursor=value, updated_at=at)).rowcount
    if not found:
        connection.execute(insert(ErpCursor).values(connection_id=connection_id, stream=stream, tenant_id=tenant_id,
                                                    cursor=value, updated_at=at))


def keep_conflict(connection: Connection, row: dict[str, Any]) -> None:
    """One per connection, record and field: the latest values seen replace the earlier ones."""
    found = connection.execute(update(ErpConflict).where(
        ErpConflict.connection_id == row["connection_id"], ErpConflict.entity == row["entity"],
        ErpConflict.key == row["key"], ErpConflict.field == row["field"])
        .values(hub_value=row["hub_value"], erp_value=row["erp_value"], seen_at=row["seen_at"])).rowcount
    if not found:
        connection.execute(insert(ErpConflict).values(**row))


def pending_documents(connection: Connection, tenant_id: uuid.UUID, connection_id: uuid.UUID) -> list[Any]:
    """The documents still to go, oldest first (a sales order before the delivery made after it)."""
    return list(connection.execute(select(ErpDocument.id, ErpDocument.kind).where(
        ErpDocument.tenant_id == tenant_id, ErpDocument.connection_id == connection_id,
        ErpDocument.state == "pending").order_by(ErpDocument.created_at, ErpDocument.id)))


def clear_conflicts(connection: Connection, connection_id: uuid.UUID, entity: str, key: str,
                    still: list[str]) -> None:
    """A record's conflicts that are no more (the two sides agree again), but those on `still`."""
    connection.execute(delete(ErpConflict).where(
        ErpConflict.connection_id == connection_id, ErpConflict.entity == entity, ErpConflict.key == key,
        ErpConflict.field.not_in(still)))


def waiting(connection: Connection, connection_id: uuid.UUID, kind: str) -> list[Any]:
    """ERP records kept for later: their hub side missing (a purchase order whose item is not mapped yet)."""
    return list(connection.execute(select(ErpMapping).where(
        ErpMapping.connection_id == connection_id, ErpMapping.kind == kind, ErpMapping.hub_code.is_(None))))


def all_connections(connection: Connection) -> list[Any]:
    """Every tenant's connections, for the poll that walks them all (each then read as its own tenant)."""
    return list(connection.execute(select(ErpConnection).order_by(ErpConnection.tenant_id, ErpConnection.code)))
