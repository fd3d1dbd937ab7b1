"""The channel table: one row per store on a platform (or the brand's own site, a till, a reseller)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))
    code: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # The pools this channel sells from, in the order they are drawn (invariant 4).
    pools: Mapped[list[str]] = mapped_column(default=lambda: ["spot"])
    # Minutes an unpaid order keeps its reservation; None keeps it until cancelled.
    unpaid_hold_minutes: Mapped[int | None]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = created_at_column()
