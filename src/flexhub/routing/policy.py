"""A tenant's routing policy: weights, split margin, node rules and carrier rate cards, with defaults.

The policy is one JSON (or YAML) document; every field is optional and a missing one takes the
default below, so `{}` is the default policy and `{"split_margin": 800}` changes one figure.
Money is in minor units of `currency` (fen for CNY); weights turn each factor into money, so a
plan's score reads as "what this plan costs us, all things counted". See `policy.example.yaml`.
"""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flexhub.routing.geo import Place
from flexhub.routing.rates import RateBook, Service, Zone, default_services

KINDS = ("central", "regional", "cloud", "store", "supplier")


class Weights(BaseModel):
    """What each factor of a plan costs, in minor units."""

    model_config = ConfigDict(extra="forbid")

    shipping: float = Field(default=1.0, ge=0, description="× the carrier's price of each parcel")
    handling: float = Field(default=1.0, ge=0, description="× the node's handling fee of each parcel")
    distance_per_100km: float = Field(default=5, ge=0, description="per 100 km from the node to the buyer, per parcel")
    late_day: float = Field(default=1000, ge=0, description="per promised day past the channel's SLA")
    vip_late_day: float = Field(default=3000, ge=0, description="per promised day past the SLA, for a VIP order")
    vip_day: float = Field(default=150, ge=0, description="per promised day of a VIP order: VIPs get the faster plan")
    load: float = Field(default=300, ge=0,
                        description="× utilization² of the node today (routed parcels / daily capacity)")
    overload: float = Field(default=2000, ge=0, description="per parcel past a node's daily capacity")
    scarcity: float = Field(default=200, ge=0, description="× the share of the node's free units of each line the "
                            "parcel takes: leaves deep stock to be used first, thin stock for orders only it can serve")
    split: float = Field(default=500, ge=0, description="per parcel beyond the first: a second pick, pack and box, and "
                         "a buyer who receives the order in parts (its postage counts on its own)")


class NodeRule(BaseModel):
    """Settings of one node kind, or of one node (by location code) over its kind's."""

    model_config = ConfigDict(extra="forbid")

    handling_fee: int | None = Field(default=None, ge=0, description="minor units per parcel")
    handling_days: int | None = Field(default=None, ge=0, le=60, description="days before the parcel leaves the node")
    ships_to: list[str] | None = Field(
        default=None, description='where it may ship: country codes ("CN", "US") or Chinese province codes ("CN-ZJ")')
    excluded: bool = Field(default=False, description="never route to this node")

    def ships_to_buyer(self, country: str, destination: Place | None) -> bool:
        """Whether `ships_to` (when set) covers a buyer in `country` at `destination`."""
        if not self.ships_to:
            return True
        province = destination.province if destination else None
        return any(r == country or (province is not None and r == f"{country}-{province}") for r in self.ships_to)


DEFAULT_KINDS = {
    "central": NodeRule(handling_fee=100, handling_days=0),
    "regional": NodeRule(handling_fee=100, handling_days=0),
    "cloud": NodeRule(handling_fee=150, handling_days=0),
    "store": NodeRule(handling_fee=400, handling_days=0),
    "supplier": NodeRule(handling_fee=0, handling_days=2),
}


class Constraints(BaseModel):
    model_config = ConfigDict(extra="forbid")

    high_value_needs_secure: bool = Field(
        default=True, description="high-value SKUs ship only from nodes marked secure")
    fragile_needs_packing: bool = Field(
        default=True, description="fragile SKUs ship only from nodes that pack fragile goods")
    supplier_only_when_sole_source: bool = Field(
        default=True, description="a supplier (drop-ship) node serves a line only when no own node holds that SKU")


class RoutingPolicy(BaseModel):
    """The whole document: GET/PUT /api/v1/routing/config."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(default=1, description="format version of this document")
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$", description="the currency of every amount here")
    default_sla_days: int = Field(default=3, ge=1, le=60, description="promised delivery days when the channel sets "
                                  "none (a channel sets its own as `sla_days` in its settings)")
    split_margin: int = Field(default=1500, ge=0, description="a split plan must beat the best single-node plan by "
                              "more than this (minor units) to be chosen")
    max_split_nodes: int = Field(default=3, ge=2, le=6, description="most nodes a split plan is searched over")
    default_weight_g: int = Field(default=500, gt=0, description="weight of a SKU that has none")
    vip_capacity_reserve: float = Field(default=0.1, ge=0, lt=1, description="share of each node's daily capacity kept "
                                        "for VIP orders: others count as overload past the rest")
    timezone: str = Field(default="Asia/Shanghai", description="the day a node's daily capacity counts in")
    weights: Weights = Field(default_factory=Weights)
    constraints: Constraints = Field(default_factory=Constraints)
    kinds: dict[str, NodeRule] = Field(default_factory=lambda: dict(DEFAULT_KINDS),
                                       description="per node kind: central, regional, cloud, store, supplier")
    nodes: dict[str, NodeRule] = Field(default_factory=dict, description="per node, by location code")
    services: list[Service] = Field(default_factory=default_services, min_length=1, max_length=50,
                                    description="carrier rate cards")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: dict[str, "NodeRule"]) -> dict[str, "NodeRule"]:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown node kinds {unknown}: use {', '.join(KINDS)}")
        return value
    def rule_for(self, code: str, kind: str) -> NodeRule:
        """The node's own settings over its kind's over the defaults."""
        return self._merged_rule(code, kind)

    def _merged_rule(self, code: str, kind: str) -> NodeRule:
        merged: dict[str, Any] = DEFAULT_KINDS.get(kind, NodeRule(handling_fee=0, handling_days=0)).model_dump()
        for rule in (self.kinds.get(kind), self.nodes.get(code)):
            if rule is not None:
                merged.update(rule.model_dump(exclude_unset=True))
        return NodeRule(**merged)


def policy_from(document: dict[str, Any] | None) -> RoutingPolicy:
    """The policy a stored (possibly partial) document means; `kinds` are merged over the defaults."""
    policy = RoutingPolicy.model_validate(document or {})
    if document and "kinds" in document:
        policy.kinds = {**DEFAULT_KINDS, **policy.kinds}
    return policy


@dataclass(frozen=True, slots=True)
class Reach:
    """A node and one buyer, as routing sees them: the node's rule, the lane, the least a parcel costs."""

    rule: NodeRule
    km: float | None
    zones: list[tuple[Service, Zone]]  # the services that carry this lane, with their zone
    floor: float  # no parcel from the node to the buyer scores less
    allowed: bool  # the node's `ships_to` covers the buyer


class PreparedPolicy:
    """A policy ready to decide with: each node's rule and each lane worked out once, then reused."""

    MOST_REACHES = 200_000  # forgotten all at once past this

    def __init__(self, policy: RoutingPolicy) -> None:
        self.policy = policy
        self.weights = policy.weights
        self.constraints = policy.constraints
        self.split_margin, self.max_split_nodes = policy.split_margin, policy.max_split_nodes
        self.vip_capacity_reserve = policy.vip_capacity_reserve
        self.rate_book = RateBook(policy.services)
        # keyed by the places' identities; each entry keeps its places alive, so an id is never reused
        self._reaches: dict[tuple, tuple[Place | None, Place | None, Reach]] = {}
        self._rules: dict[tuple[str, str], NodeRule] = {}

    def rule_for(self, code: str, kind: str) -> NodeRule:
        found = self._rules.get((code, kind))
        if found is None:
            found = self._rules[(code, kind)] = self.policy.rule_for(code, kind)
        return found

    def reach(self, code: str, kind: str, origin: Place | None, destination: Place | None, country: str) -> Reach:
        key = (code, kind, id(origin), id(destination), country)
        found = self._reaches.get(key)
        if found is None:
            if len(self._reaches) >= self.MOST_REACHES:
                self._reaches.clear()
            found = self._reaches[key] = (origin, destination, self._reach(code, kind, origin, destination, country))
        return found[2]

    def _reach(self, code: str, kind: str, origin: Place | None, destination: Place | None, country: str) -> Reach:
        rule, w = self.rule_for(code, kind), self.weights
        km, zones, cheapest = self.rate_book.lane_of(origin, destination)
        floor = w.shipping * cheapest + w.handling * (rule.handling_fee or 0) + (km or 0.0) / 100 * w.distance_per_100km
        return Reach(rule, km, zones, floor, rule.ships_to_buyer(country, destination))
