"""ERP tables: connections (credentials sealed by the vault), documents sent out once each, mappings between the
hub's codes and the ERP's records (unmapped ones queued for a person), poll cursors, and field conflicts."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class ErpConnection(Base):
    """One ERP a tenant's hub talks to: its kind (a `flexhub.erp` connector), base URL and sealed credentials."""

    __tablename__ = "erp_connections"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(Text)
    credentials: Mapped[str] = mapped_column(Text)  # sealed by the vault; never returned
    # An admin's leave to call a private or local address (integrations/targets.py).
    allow_private: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Field ownership per direction and the customer account per channel (erp/rules.py reads them).
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_sync_at: Mapped[datetime | None]
    # The last read from the ERP that failed, why (readable), how many in a row, and when the poll tries again.
    read_error: Mapped[str | None] = mapped_column(String(500))
    read_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    read_failed_at: Mapped[datetime | None]
    read_after: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()


class ErpDocument(Base):
    """One hub record sent to the ERP as one document (a sales order, a delivery, a credit note, a stock move):
    created once, keyed by the hub's id, its ERP id kept once the ERP has it; retried, parked (`dead`) when
    it cannot go, with the reason."""

    __tablename__ = "erp_documents"
    __table_args__ = (UniqueConstraint("connection_id", "kind", "hub_ref"),
                      Index("ix_erp_documents_state", "tenant_id", "connection_id", "state"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    connection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("erp_connections.id"))
    kind: Mapped[str] = mapped_column(String(24))  # sale_order | delivery | credit_note | stock_move
    hub_ref: Mapped[str] = mapped_column(String(64))  # the hub's id of what it is made from
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    erp_id: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()


class ErpMapping(Base):
    """A hub code ↔ an ERP record (kind sku, location, customer, supplier). A row without one side is in the
    unmapped queue: `erp_ref` missing for a hub code the ERP has no record of, `hub_code` for an ERP record
    the hub has nothing for."""

    __tablename__ = "erp_mappings"
    __table_args__ = (Index("ix_erp_mappings_hub", "connection_id", "kind", "hub_code"),
                      Index("ix_erp_mappings_erp", "connection_id", "kind", "erp_ref"),
                      Index("ix_erp_mappings_tenant", "tenant_id", "connection_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    connection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("erp_connections.id"))
    kind: Mapped[str] = mapped_column(String(16))
    hub_code: Mapped[str | None] = mapped_column(String(120))
    erp_ref: Mapped[str | None] = mapped_column(String(120))
    erp_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()


class ErpCursor(Base):
    """How far a stream read from the ERP (products, suppliers, purchase orders) has come."""

    __tablename__ = "erp_cursors"

    connection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("erp_connections.id"), primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    cursor: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = created_at_column()


class ErpConflict(Base):
    """A field both sides changed, or the ERP changed a field the hub owns: shown, never overwritten."""

    __tablename__ = "erp_conflicts"
    __table_args__ = (UniqueConstraint("connection_id", "entity", "key", "field"),
                      Index("ix_erp_conflicts_tenant", "tenant_id", "connection_id"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    connection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("erp_connections.id"))
    entity: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(120))
    field: Mapped[str] = mapped_column(String(64))
    hub_value: Mapped[str | None] = mapped_column(Text)
    erp_value: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[datetime] = created_at_column()
