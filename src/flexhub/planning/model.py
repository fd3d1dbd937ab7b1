"""Planning tables: daily sales brought from before the hub."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class SalesDay(Base):
    """Units one SKU sold at one node (through one channel, or none named) on one day, as an import said; a later
    import of the same SKU, node, channel and day replaces it."""

    __tablename__ = "planning_sales_days"
    __table_args__ = (Index("ix_planning_sales_days_day", "tenant_id", "day"),
                      CheckConstraint("units >= 0", name="units_not_negative"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    sku_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skus.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    channel_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("channels.id"))
    day: Mapped[date]
    units: Mapped[int]
    stocked_out: Mapped[bool] = mapped_column(default=False)  # the node ran out that day: demand unknown
    imported_at: Mapped[datetime] = created_at_column()


class PlanningEvent(Base):
    """A campaign or a live-room session: on its dates, its SKUs sell `uplift` times their usual demand through its
    channels (all channels where none is named). One announced with its times (a live room's session, a flash sale)
    also tells the stock sync when its sales start and end, and how many units each SKU is expected to sell then:
    the slow stores hold back ahead of it (sync/announced.py)."""

    __tablename__ = "planning_events"
    __table_args__ = (Index("ix_planning_events_dates", "tenant_id", "ends_on", "starts_on"),
                      Index("ix_planning_events_ends_at", "ends_at"),
                      CheckConstraint("ends_on >= starts_on AND uplift > 0", name="event_valid"),
                      CheckConstraint("(starts_at IS NULL AND ends_at IS NULL AND units_per_sku IS NULL) OR "
                                      "(ends_at > starts_at AND (units_per_sku IS NULL OR units_per_sku > 0))",
                                      name="event_times_valid"))

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # campaign | live_room
    starts_on: Mapped[date]
    ends_on: Mapped[date]  # inclusive
    starts_at: Mapped[datetime | None]  # when its sales start, if announced with its times
    ends_at: Mapped[datetime | None]  # when they end (after starts_at)
    units_per_sku: Mapped[int | None]  # units each SKU is expected to sell between them; none: what it has
    skus: Mapped[list[str]]  # codes, as given
    sku_ids: Mapped[list[str]]
    channels: Mapped[list[str]]  # codes, as given; none: every channel
    channel_ids: Mapped[list[str]]
    expected_uplift: Mapped[float | None]  # as given
    discount_percent: Mapped[float | None]  # as given
    uplift: Mapped[float]  # what the forecast multiplies by: the given uplift, or the discount's by elasticity
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()
