"""Routing tables: each decision with every scored plan, each tenant's policy, each node's load per day."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, JsonDocument, created_at_column, id_column


class RoutingDecision(Base):
    """Where an order was sent and why: the chosen plan, every scored plan, every node refused and why."""

    __tablename__ = "routing_decisions"
    __table_args__ = (Index("ix_routing_decisions_order", "tenant_id", "order_id", "created_at"),)

    id: Mapped[uuid.UUID] = id_column()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    outcome: Mapped[str] = mapped_column(String(16))  # routed | unroutable
    trigger: Mapped[str] = mapped_column(String(16))  # route | reroute
    reason: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(200))
    nodes: Mapped[list[str]]  # the chosen nodes' codes, one per parcel
    plan: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    rejected: Mapped[dict[str, Any]]
    excluded: Mapped[list[str]]  # nodes kept out: short picks of this order so far
    short_skus: Mapped[list[str]]
    policy_version: Mapped[int]
    created_at: Mapped[datetime] = created_at_column()


class RoutingPolicyDocument(Base):
    """A tenant's routing policy as it was put (flexhub.routing.policy reads it, over the defaults)."""

    __tablename__ = "routing_policies"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    document: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()


class NodeLoad(Base):
    """Parcels routed to a node on one day (in the policy's time zone), against its daily capacity."""

    __tablename__ = "routing_node_loads"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    parcels: Mapped[int] = mapped_column(default=0)
