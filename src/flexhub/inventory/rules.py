"""Pure stock decisions: movement deltas, available to promise, and all-or-none reservation plans.

Nothing here touches a database: handlers load `Level` snapshots (rows locked), call these
rules, and write back what they return.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flexhub.inventory.errors import InsufficientStock, NegativeStock

LOCATION_KINDS = ("central", "regional", "cloud", "store", "supplier")
SPOT, PRESALE = "spot", "presale"
CONSIGNED_PREFIX = "consigned:"
LevelKey = tuple[uuid.UUID, uuid.UUID, str]  # (sku_id, location_id, pool)

# kind -> (on_hand, reserved, in_transit) sign of a positive quantity.
MOVEMENT_SIGNS: dict[str, tuple[int, int, int]] = {
    "receive": (1, 0, 0),
    "return": (1, 0, 0),
    "reserve": (0, 1, 0),
    "release": (0, -1, 0),
    "ship": (-1, -1, 0),  # a shipped unit leaves on hand and its reservation together
    "transfer_in": (1, 0, -1),
}
SIGNED_KINDS = ("adjust", "count")  # their quantity is already a signed delta of on hand
MOVEMENT_KINDS = (*MOVEMENT_SIGNS, "transfer_out", *SIGNED_KINDS)


def is_valid_pool(pool: str) -> bool:
    return pool in (SPOT, PRESALE) or (pool.startswith(CONSIGNED_PREFIX) and len(pool) > len(CONSIGNED_PREFIX))


def consigned_pool(partner_code: str) -> str:
    return f"{CONSIGNED_PREFIX}{partner_code}"


@dataclass(frozen=True, slots=True)
class Delta:
    on_hand: int = 0
    reserved: int = 0
    in_transit: int = 0

    def __add__(self, other: "Delta") -> "Delta":
        return Delta(
            self.on_hand + other.on_hand, self.reserved + other.reserved, self.in_transit + other.in_transit
        )

    def is_zero(self) -> bool:
        return self.on_hand == 0 and self.reserved == 0 and self.in_transit == 0


def movement_delta(kind: str, quantity: int) -> Delta:
    if kind in SIGNED_KINDS:
        return Delta(on_hand=quantity)
    on_hand, reserved, in_transit = MOVEMENT_SIGNS[kind]
    return Delta(on_hand * quantity, reserved * quantity, in_transit * quantity)


@dataclass(frozen=True, slots=True)
class Level:
    """A snapshot of one (SKU, location, pool) stock row, in the order candidates are tried."""

    id: uuid.UUID
    sku_id: uuid.UUID
    location_id: uuid.UUID
    pool: str
    on_hand: int
    reserved: int
    safety: int = 0
    in_transit: int = 0

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety)

    def after(self, delta: Delta) -> "Level":
        """The level once `delta` is applied; refuses what would break invariant 2."""
        on_hand, reserved = self.on_hand + delta.on_hand, self.reserved + delta.reserved
        in_transit = self.in_transit + delta.in_transit
        if on_hand < 0 or in_transit < 0 or reserved < 0:
            raise NegativeStock("stock cannot go below zero", level_id=str(self.id))
        if reserved > on_hand:
            raise InsufficientStock("reserved stock cannot be taken away", level_id=str(self.id))
        if delta.reserved > 0 and on_hand - reserved - self.safety < 0:
            raise InsufficientStock("not enough available stock", level_id=str(self.id))
        # Built directly rather than by dataclasses.replace: this runs once per order in a combined batch.
        return Level(self.id, self.sku_id, self.location_id, self.pool, on_hand, reserved, self.safety, in_transit)


@dataclass(frozen=True, slots=True)
class Need:
    """Units of one SKU an order line needs, and the pools it may draw from, in order."""

    sku_id: uuid.UUID
    quantity: int
    pools: tuple[str, ...]
    line_no: int = 0


@dataclass(frozen=True, slots=True)
class Take:
    level_id: uuid.UUID
    sku_id: uuid.UUID
    location_id: uuid.UUID
    pool: str
    quantity: int
    line_no: int = 0


def plan_reservation(
    needs: Sequence[Need], levels: dict[uuid.UUID, Level], by_sku: Mapping[uuid.UUID, list[uuid.UUID]] | None = None
) -> list[Take] | None:
    """Takes that cover every need, or None when any need cannot be met (all or none).

    `levels` must iterate in candidate order; it is updated in place only when the plan succeeds.
    `by_sku` (each SKU's level ids in that order) may be passed in when many plans share the levels.
    """
    by_sku = _by_sku(levels) if by_sku is None else by_sku
    changed: dict[uuid.UUID, Level] = {}  # only what this plan touched: the rest is read from `levels`
    takes: list[Take] = []
    for need in needs:
        candidates = [changed.get(i) or levels[i] for i in by_sku.get(need.sku_id, ())]
        need_takes = _takes_for(need, candidates)
        if need_takes is None:
            return None
        for take in need_takes:
            level = changed.get(take.level_id) or levels[take.level_id]
            changed[take.level_id] = level.after(Delta(reserved=take.quantity))
        takes.extend(need_takes)
    levels.update(changed)
    return takes


def _by_sku(levels: Mapping[uuid.UUID, Level]) -> dict[uuid.UUID, list[uuid.UUID]]:
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for level in levels.values():
        found.setdefault(level.sku_id, []).append(level.id)
    return found


def _takes_for(need: Need, levels: Iterable[Level]) -> list[Take] | None:
    for pool in need.pools:
        candidates = [lv for lv in levels if lv.sku_id == need.sku_id and lv.pool == pool and lv.available]
        whole = next((lv for lv in candidates if lv.available >= need.quantity), None)
        chosen = [whole] if whole else candidates
        takes, left = [], need.quantity
        for level in chosen:
            quantity = min(left, level.available)
            takes.append(Take(level.id, level.sku_id, level.location_id, level.pool, quantity, need.line_no))
            left -= quantity
            if left == 0:
                return takes
    return None


def plan_in_arrival_order(
    requests: Sequence[Sequence[Need]], levels: dict[uuid.UUID, Level]
) -> list[list[Take] | None]:
    """Plan each request in turn against the same levels: the hot-SKU combiner's decision."""
    by_sku = _by_sku(levels)
    return [plan_reservation(needs, levels, by_sku) for needs in requests]


def sum_deltas(takes: Iterable[Take]) -> dict[uuid.UUID, Delta]:
    totals: dict[uuid.UUID, Delta] = {}
    for take in takes:
        totals[take.level_id] = totals.get(take.level_id, Delta()) + Delta(reserved=take.quantity)
    return totals
