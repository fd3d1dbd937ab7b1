"""Routing DTOs: a decision with its scored plans, and what a re-route sends. The policy document's
own model (flexhub.routing.policy.RoutingPolicy) is the body of GET/PUT /api/v1/routing/config."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PlanLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int


class ParcelOut(BaseModel):
    node: str
    location_id: str
    kind: str
    carrier: str | None = Field(description="None: the buyer collects it")
    service: str | None
    zone: str | None
    price: int = Field(description="the carrier's price, minor units of the policy's currency")
    days: int = Field(description="promised days: the node's handling days plus the carrier's")
    km: float | None
    weight_g: int
    lines: list[PlanLineOut]


class PlanOut(BaseModel):
    nodes: list[str]
    split: bool
    chosen: bool
    score: float = Field(description="what the plan costs all things counted (minor units); lowest wins")
    breakdown: dict[str, float] = Field(description="the score by factor: shipping, handling, distance, lateness, "
                                        "speed, load, scarcity, split, total")
    shipping_price: int
    promised_days: int
    parcels: list[ParcelOut]


class DecisionSummaryOut(BaseModel):
    decision_id: str
    outcome: Literal["routed", "unroutable"]
    trigger: Literal["route", "reroute"]
    nodes: list[str]
    reason: str
    decided_at: datetime


class DecisionOut(DecisionSummaryOut):
    order_id: str
    actor: str
    plan: PlanOut | None
    candidates: list[PlanOut] = Field(description="every scored plan, best first")
    rejected: dict[str, list[str]] = Field(description="node code -> why it may not serve the order (or a line)")
    excluded: list[str] = Field(description="nodes kept out because they short-picked this order")
    short_skus: list[str]
    policy_revision: int
    history: list[DecisionSummaryOut] = Field(description="every decision for this order, newest first")


class RerouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    node: str = Field(min_length=1, max_length=64, description="the node that short-picked")
    short_skus: list[str] = Field(default_factory=list, max_length=500)
