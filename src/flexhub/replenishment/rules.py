"""Pure replenishment decisions: how much stock protects a service level, when and how much to order.

Nothing here reads a database. Safety stock comes from the forecast's own errors over the lead
time plus the review period (their empirical quantile), not only from z·σ·√L, which misses its
target on intermittent items; the textbook newsvendor and EOQ are here too, checked against
published values in the tests.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any


def newsvendor_quantity(mean: float, std: float, *, holding: float, shortage: float) -> float:
    """Stock that minimises expected cost for normal demand: μ + σ·Φ⁻¹(p ÷ (p + h))."""
    return mean + std * NormalDist().inv_cdf(shortage / (shortage + holding))


def economic_order_quantity(*, order_cost: float, holding: float, annual_demand: float) -> float:
    """Q* = √(2Kλ ÷ h)."""
    return math.sqrt(2 * order_cost * annual_demand / holding) if holding > 0 and annual_demand > 0 else 0.0


def normal_safety_stock(daily_std: float, days: float, service: float) -> float:
    """z·σ·√(L + R): the textbook figure, kept for comparison."""
    return NormalDist().inv_cdf(service) * daily_std * math.sqrt(days)


def poisson_quantile(mean: float, service: float) -> int:
    """Smallest k with P(Poisson(mean) ≤ k) ≥ service."""
    if mean <= 0:
        return 0
    k, term = 0, math.exp(-mean)
    if term == 0.0:  # large means: the normal approximation is exact enough
        return max(0, math.ceil(mean + NormalDist().inv_cdf(service) * math.sqrt(mean)))
    total = term
    while total < service:
        k += 1
        term *= mean / k
        total += term
    return k


def error_quantile(errors: Sequence[float], service: float) -> float:
    """The `service` quantile of past (actual − forecast) over the protection interval: the
    stock beyond the forecast that would have covered that share of past intervals."""
    if not errors:
        return 0.0
    ordered = sorted(errors)
    rank = min(len(ordered) - 1, max(0, math.ceil(service * len(ordered)) - 1))
    return ordered[rank]


def order_quantity(needed: float, *, moq: int = 1, pack: int = 1) -> int:
    """What to order for a need: nothing for none, else at least the MOQ, in whole packs."""
    if needed <= 0:
        return 0
    quantity = max(math.ceil(needed), moq)
    return math.ceil(quantity / pack) * pack


def order_up_to(position: float, level: float, *, moq: int = 1, pack: int = 1) -> int:
    """(R,S): at a review, order what lifts the inventory position to S."""
    return order_quantity(level - position, moq=moq, pack=pack)


def reorder_point_order(position: float, reorder_point: float, batch: int, *, pack: int = 1) -> int:
    """(s,Q): when the position is at or below s, as many batches of Q as bring it above s."""
    if position > reorder_point:
        return 0
    batch = max(1, math.ceil(batch / pack) * pack)
    return batch * (int((reorder_point - position) // batch) + 1)


def stockout_date(available: float, daily: Sequence[float], start: date) -> date | None:
    """The first day whose cumulative forecast demand exceeds what is available, or None."""
    remaining = available
    for offset, units in enumerate(daily):
        remaining -= units
        if remaining < 0:
            return start + timedelta(days=offset)
    return None


@dataclass(frozen=True)
class Need:
    """One SKU at one node: what it has coming and what its policy wants it to have."""

    sku: str
    location: str
    position: int  # on hand − reserved + in transit + on order
    target: int  # S of (R,S), or s + Q of (s,Q)
    unit_cost: int = 0  # minor units
    moq: int = 1
    pack: int = 1
    days_of_cover: float = math.inf

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.position)

    @property
    def surplus(self) -> int:
        return max(0, self.position - self.target)


@dataclass(frozen=True)
class Suggestion:
    kind: str  # purchase | production | transfer
    sku: str
    location: str
    quantity: int
    source: str | None = None  # the node a transfer comes from


def transfers(needs: Sequence[Need]) -> tuple[list[Suggestion], list[Need]]:
    """Cover shortfalls from other nodes' surplus of the same SKU first (shortest cover first);
    returns the transfers and the needs with what is still short."""
    surplus = {(n.sku, n.location): n.surplus for n in needs}
    moved: list[Suggestion] = []
    left: list[Need] = []
    for need in sorted(needs, key=lambda n: (n.days_of_cover, n.sku, n.location)):
        short = need.shortfall
        for donor in sorted((n for n in needs if n.sku == need.sku and n.location != need.location),
                            key=lambda n: -surplus[(n.sku, n.location)]):
            give = min(short, surplus[(donor.sku, donor.location)])
            if give > 0:
                moved.append(Suggestion("transfer", need.sku, need.location, give, donor.location))
                surplus[(donor.sku, donor.location)] -= give
                short -= give
        left.append(replace(need, position=need.target - short))
    return moved, left


def purchases(needs: Sequence[Need], *, budget: int | None = None, kind: str = "purchase") -> list[Suggestion]:
    """Orders in MOQ and pack multiples, the shortest cover first, until the budget runs out; a line
    the budget cannot pay whole is cut to the packs it can."""
    suggestions = []
    money = math.inf if budget is None else budget
    for need in sorted(needs, key=lambda n: (n.days_of_cover, n.sku, n.location)):
        quantity = order_quantity(need.shortfall, moq=need.moq, pack=need.pack)
        if quantity and need.unit_cost and quantity * need.unit_cost > money:
            quantity = int(money // (need.unit_cost * need.pack)) * need.pack
            quantity = quantity if quantity >= need.moq else 0
        if quantity:
            suggestions.append(Suggestion(kind, need.sku, need.location, quantity))
            money -= quantity * need.unit_cost
    return suggestions


def production(needs: Sequence[Need], *, capacity: int) -> list[Suggestion]:
    """Production orders for the own factory: the shortest cover first, within its capacity (units)."""
    suggestions, room = [], capacity
    for need in sorted(needs, key=lambda n: (n.days_of_cover, n.sku, n.location)):
        quantity = min(order_quantity(need.shortfall, moq=need.moq, pack=need.pack), room // need.pack * need.pack)
        if quantity >= need.moq and quantity > 0:
            suggestions.append(Suggestion("production", need.sku, need.location, quantity))
            room -= quantity
    return suggestions


@dataclass(frozen=True)
class Holding:
    """One SKU at one node for the sale: what it holds and what it should hold by the event's end."""

    sku: str
    location: str
    available: int  # on hand and free now: what it could give
    in_transit: int
    target: int
    expected: float  # units forecast from today to the event's last day

    @property
    def position(self) -> int:
        return self.available + self.in_transit

    @property
    def days_of_cover(self) -> float:
        return self.position / self.expected if self.expected > 0 else math.inf


def preallocation_moves(holdings: Sequence[Holding]) -> list[dict[str, Any]]:
    """Transfers {sku, from, to, quantity} that fill the shortfalls from other nodes' free surplus of the same SKU:
    the shortest cover first, from the largest surplus first."""
    spare = {(h.sku, h.location): max(0, min(h.available, h.position - h.target)) for h in holdings}
    found = []
    for need in sorted(holdings, key=lambda h: (h.days_of_cover, h.sku, h.location)):
        short = max(0, need.target - need.position)
        donors = sorted((h for h in holdings if h.sku == need.sku and h.location != need.location),
                        key=lambda h: (-spare[(h.sku, h.location)], h.location))
        for donor in donors:
            give = min(short, spare[(donor.sku, donor.location)])
            if give <= 0:
                break
            found.append({"sku": need.sku, "from": donor.location, "to": need.location, "quantity": give})
            spare[(donor.sku, donor.location)] -= give
            short -= give
    return found


def quotas(target: int, parts: dict[Any, float]) -> dict[Any, int]:
    """`target` units shared in proportion to `parts`, in whole units that sum to it (largest remainders)."""
    total = sum(parts.values())
    if target <= 0 or total <= 0:
        return {key: 0 for key in parts}
    exact = {key: target * value / total for key, value in parts.items()}
    found = {key: math.floor(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: -(exact[k] - found[k]))[:target - sum(found.values())]:
        found[key] += 1
    return found
