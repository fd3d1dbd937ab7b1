"""Plans and their scores, pure: which node ships which lines, and what that costs all things counted.

A plan is one parcel per node. A parcel's score is money (minor units): the carrier's price (the
service that costs least once lateness is counted), the node's handling fee, a little per km,
days past the SLA, the node's load against its daily capacity; VIP orders also pay per promised
day, so they get the faster plan. Single-node plans are scored for every candidate; split plans
are searched over the few best nodes for each line, and only when a split could beat the best
single-node plan by more than the margin at all.
"""

import itertools
from dataclasses import dataclass

from flexhub.routing.candidates import Candidate, Group, Node, OrderToRoute
from flexhub.routing.policy import PreparedPolicy

PER_GROUP = 4  # the best nodes per line a split plan is searched over
MOST_NODES_SEARCHED = 10

LineQuantity = tuple[int, int]  # (index of the order's line, units)
FACTORS = ("shipping", "handling", "distance", "lateness", "speed", "load", "scarcity")


@dataclass(frozen=True, slots=True)
class Parcel:
    node: Node
    lines: tuple[LineQuantity, ...]
    weight_g: int
    carrier: str | None  # None: the buyer collects it (pickup)
    service: str | None
    zone: str | None
    price: int
    days: int
    km: float | None


@dataclass(frozen=True, slots=True)
class Plan:
    parcels: tuple[Parcel, ...]
    score: float
    parts: tuple[float, ...]  # the score by factor, in FACTORS order, then the split penalty

    @property
    def breakdown(self) -> dict[str, float]:
        return {**dict(zip((*FACTORS, "split"), self.parts, strict=True)), "total": self.score}

    @property
    def is_split(self) -> bool:
        return len(self.parcels) > 1

    @property
    def nodes(self) -> tuple[str, ...]:
        return tuple(p.node.code for p in self.parcels)

    @property
    def shipping_price(self) -> int:
        return sum(p.price for p in self.parcels)

    @property
    def promised_days(self) -> int:
        return max(p.days for p in self.parcels)


class Scorer:
    """Scores parcels and plans of one order under one policy."""

    def __init__(self, order: OrderToRoute, groups: list[Group], policy: PreparedPolicy) -> None:
        self.order, self.weights = order, policy.weights
        self.group_of = {i: g for g, group in enumerate(groups) for i in group.lines}
        self.late_day = self.weights.vip_late_day if order.vip else self.weights.late_day
        self.speed_day = self.weights.vip_day if order.vip else 0.0
        self.capacity_share = 1.0 if order.vip else 1.0 - policy.vip_capacity_reserve

    def plan(self, assignment: list[tuple[Candidate, tuple[LineQuantity, ...]]]) -> Plan | None:
        parcels, parts = [], None
        for candidate, lines in assignment:
            scored = self._parcel(candidate, lines)
            if scored is None:
                return None
            parcels.append(scored[0])
            parts = scored[1] if parts is None else tuple(a + b for a, b in zip(parts, scored[1], strict=True))
        if parts is None:
            return None
        parts = (*parts, self.weights.split * (len(parcels) - 1))
        return Plan(tuple(parcels), sum(parts), parts)

    def _parcel(self, candidate: Candidate, lines: tuple[LineQuantity, ...]) -> tuple[Parcel, tuple] | None:
        order, w = self.order, self.weights
        weight = sum(units * order.lines[i].weight_g for i, units in lines)
        handling_days = candidate.reach.rule.handling_days or 0
        if order.pickup_at is not None:
            carrier = service = zone = None
            price, days, cost = 0, handling_days, self._days_cost(handling_days)
        else:
            best = self._cheapest_service(candidate, weight, handling_days)
            if best is None:
                return None
            cost, carrier, service, zone, price, days = best
        node, reach = candidate.node, candidate.reach
        parts = (  # in FACTORS order
            w.shipping * price,
            w.handling * (reach.rule.handling_fee or 0),
            (reach.km or 0.0) / 100 * w.distance_per_100km,
            max(0, days - order.sla_days) * self.late_day,
            days * self.speed_day,
            self._load(node),
            self._scarcity(candidate, lines),
        )
        return Parcel(node, lines, weight, carrier, service, zone, price, days, reach.km), parts

    def _cheapest_service(self, candidate: Candidate, weight: int, handling_days: int) -> tuple | None:
        best = None
        for service, zone in candidate.reach.zones:
            if service.max_weight_g is not None and weight > service.max_weight_g:
                continue
            price, days = zone.price(weight), handling_days + zone.days
            cost = self.weights.shipping * price + self._days_cost(days)
            if best is None or cost < best[0]:
                best = (cost, service.carrier, service.service, zone.name, price, days)
        return best

    def _scarcity(self, candidate: Candidate, lines: tuple[LineQuantity, ...]) -> float:
        """The share of the node's units each line takes: taking the last ones costs most."""
        return self.weights.scarcity * sum(units / candidate.units[self.group_of[i]] for i, units in lines)

    def _days_cost(self, days: int) -> float:
        return max(0, days - self.order.sla_days) * self.late_day + days * self.speed_day

    def _load(self, node: Node) -> float:
        if not node.daily_capacity:
            return 0.0
        used = node.load + 1
        utilization = used / node.daily_capacity
        overload = self.weights.overload if used > node.daily_capacity * self.capacity_share else 0.0
        return self.weights.load * utilization * utilization + overload


def whole(order: OrderToRoute, group: Group) -> tuple[LineQuantity, ...]:
    return tuple((i, order.lines[i].quantity) for i in group.lines)


def single_node_plans(
    candidates: list[Candidate], groups: list[Group], scorer: Scorer
) -> tuple[list[Plan], list[Candidate]]:
    """One plan per candidate that can serve every line alone, best first; and the candidates left
    unscored because even their cheapest parcel costs more than the best plan (cheapest first)."""
    lines = tuple(lq for g in groups for lq in whole(scorer.order, g))
    able = sorted((c for c in candidates if c.complete), key=lambda c: c.floor)
    plans: list[Plan] = []
    best = float("inf")
    for n, candidate in enumerate(able):
        if candidate.floor >= best:
            return sorted(plans, key=_rank), able[n:]
        plan = scorer.plan([(candidate, lines)])
        if plan is not None:
            plans.append(plan)
            best = min(best, plan.score)
    return sorted(plans, key=_rank), []


def split_floor(candidates: list[Candidate], scorer: Scorer) -> float:
    """No plan of two parcels or more can score below this."""
    floors = sorted(c.floor for c in candidates)
    return sum(floors[:2]) + scorer.weights.split if len(floors) >= 2 else float("inf")


def split_plans(candidates: list[Candidate], groups: list[Group], scorer: Scorer, most_nodes: int,
                below: float = float("inf")) -> list[Plan]:
    """Plans that place each line whole at one of 2..most_nodes nodes, best first; only node sets whose
    parcels could score below `below` at all are scored."""
    if len(groups) < 2:
        return []
    pool = _searched_nodes(candidates, groups)
    found = []
    for size in range(2, min(most_nodes, len(groups)) + 1):
        least_split = scorer.weights.split * (size - 1)
        for chosen in itertools.combinations(pool, size):
            if sum(c.floor for c in chosen) + least_split >= below:
                continue
            assignment = _assign(chosen, groups, scorer.order)
            plan = scorer.plan(assignment) if assignment else None
            if plan is not None:
                found.append(plan)
    return sorted(found, key=_rank)


def greedy_plan(candidates: list[Candidate], groups: list[Group], scorer: Scorer) -> Plan | None:
    """Fill each line from the cheapest nodes in turn, splitting its units when no node has them all."""
    ranked = sorted(candidates, key=lambda c: c.floor)
    placed: dict[int, list[LineQuantity]] = {}
    for g, group in enumerate(groups):
        left = group.quantity
        used_first = sorted(ranked, key=lambda c: (id(c) not in placed, c.floor))
        for candidate in used_first:
            units = min(left, candidate.units[g])
            if units > 0:
                placed.setdefault(id(candidate), []).extend(_spread(scorer.order, group, group.quantity - left, units))
                left -= units
            if left == 0:
                break
        if left:
            return None
    by_id = {id(c): c for c in candidates}
    return scorer.plan([(by_id[key], tuple(lines)) for key, lines in placed.items()])


def _searched_nodes(candidates: list[Candidate], groups: list[Group]) -> list[Candidate]:
    chosen: dict[int, Candidate] = {}
    for g, group in enumerate(groups):
        able = sorted((c for c in candidates if c.units[g] >= group.quantity), key=lambda c: c.floor)
        for c in able[:PER_GROUP]:
            chosen.setdefault(id(c), c)
    return sorted(chosen.values(), key=lambda c: c.floor)[:MOST_NODES_SEARCHED]


def _assign(chosen: tuple[Candidate, ...], groups: list[Group], order: OrderToRoute) -> list | None:
    """Each line to the cheapest chosen node that has it all; None unless every chosen node gets a line."""
    lines: dict[int, list[LineQuantity]] = {id(c): [] for c in chosen}
    for g, group in enumerate(groups):
        able = [c for c in chosen if c.units[g] >= group.quantity]
        if not able:
            return None
        lines[id(min(able, key=lambda c: c.floor))].extend(whole(order, group))
    if not all(lines.values()):
        return None
    return [(c, tuple(lines[id(c)])) for c in chosen]


def _spread(order: OrderToRoute, group: Group, start: int, units: int) -> list[LineQuantity]:
    """Units `start`..`start + units` of a group, as quantities of its lines in order."""
    spread, offset = [], 0
    for i in group.lines:
        quantity = order.lines[i].quantity
        low, high = max(start, offset), min(start + units, offset + quantity)
        if high > low:
            spread.append((i, high - low))
        offset += quantity
    return spread


def _rank(plan: Plan) -> tuple[float, tuple[str, ...]]:
    return (plan.score, plan.nodes)
