"""The saved filters table: one row per named filter set of a list, its owner the user or key that saved it."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class SavedFilter(Base):
    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("tenant_id", "owner", "list_name", "name", name="uq_saved_filters_name"),
                      Index("ix_saved_filters_list", "tenant_id", "list_name"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partners.id"))  # shared within it only
    owner: Mapped[str] = mapped_column(String(200))  # the actor's name: user:<login> or key:<prefix>
    list_name: Mapped[str] = mapped_column(String(32))  # orders | stock (rules.LISTS)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[dict[str, Any]] = mapped_column()  # filter → value, as the list page's address names them
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
