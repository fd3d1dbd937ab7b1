"""Pure fulfilment decisions: shipment states, which reserved units a shipment takes, what shipping consumes,
what a tracking event means, what a lost parcel's replacement reserves, and where the order goes next. No I/O."""

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flexhub.fulfillment.errors import InvalidShipmentTransition, NothingToShip, NotShippable, WrongPickupCode
from flexhub.inventory.errors import InsufficientStock
from flexhub.inventory.rules import Take

STATES = ("created", "picked", "packed", "shipped", "in_transit", "delivered", "failed", "returned", "lost",
          "cancelled")
TRANSITIONS: dict[str, frozenset[str]] = {
    "created": frozenset({"picked", "cancelled"}),
    "picked": frozenset({"packed", "cancelled"}),
    "packed": frozenset({"shipped", "delivered", "cancelled"}),  # packed → delivered: collected in store
    "shipped": frozenset({"in_transit", "delivered", "failed", "returned", "lost"}),
    "in_transit": frozenset({"delivered", "failed", "returned", "lost"}),
    "failed": frozenset({"in_transit", "delivered", "returned", "lost"}),  # a failed attempt may still end well
    "delivered": frozenset(), "returned": frozenset(), "lost": frozenset(), "cancelled": frozenset(),
}
OPEN = frozenset({"created", "picked", "packed"})  # holding reserved units not yet shipped
MOVING = frozenset({"shipped", "in_transit", "failed"})  # with the carrier: tracked (a failed attempt may end well)
# Orders a shipment may be made for: routed, at work, or partly shipped already.
SHIPPABLE_ORDERS = frozenset({"routed", "picking", "packed", "partially_shipped"})
# What a carrier's tracking state (shipping.carrier.TRACKING_STATES) makes of a shipment; None: no change.
TRACKING_TO_STATE: dict[str, str | None] = {
    "info_received": None, "picked_up": "in_transit", "in_transit": "in_transit",
    "out_for_delivery": "in_transit", "delivered": "delivered", "failed_attempt": None,
    "exception": "failed", "returned": "returned",
}
Key = tuple[int, uuid.UUID, str]  # (line_no, sku_id, pool)


@dataclass(frozen=True, slots=True)
class Held:
    """Units an order holds at the node: an active reservation, or (id None) a shipment line."""

    line_no: int
    sku_id: uuid.UUID
    pool: str
    quantity: int
    id: uuid.UUID | None = None

    @property
    def key(self) -> Key:
        return (self.line_no, self.sku_id, self.pool)


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidShipmentTransition(f"a shipment that is {current} cannot become {target}", state=current)


def check_order_shippable(status: str) -> None:
    if status not in SHIPPABLE_ORDERS:
        raise NotShippable(f"an order that is {status} has nothing routed to ship", status=status)


def allocate(held: Sequence[Held], committed: Sequence[Held],
             requested: Mapping[int, int | None] | None) -> list[Held]:
    """The units a new shipment takes: what the node holds for the order less what open shipments took.

    `requested` maps line numbers to units (None: all free units of that line); None takes everything free.
    """
    free: dict[Key, int] = defaultdict(int)
    for h in held:
        free[h.key] += h.quantity
    for c in committed:
        free[c.key] -= c.quantity
    taken = []
    for key in sorted(k for k, units in free.items() if units > 0):
        line_no = key[0]
        if requested is not None and line_no not in requested:
            continue
        asked = None if requested is None else requested[line_no]
        want = free[key] if asked is None else asked
        if want > free[key]:
            raise NothingToShip(f"line {line_no} has {free[key]} units free to ship, not {want}", line_no=line_no)
        taken.append(Held(line_no, key[1], key[2], want))
    missing = set(requested or ()) - {t.line_no for t in taken}
    if missing or not taken:
        raise NothingToShip("no reserved units free to ship for these lines", lines=sorted(missing))
    return taken


@dataclass(frozen=True, slots=True)
class Consumption:
    closed: list[uuid.UUID]  # reservations consumed (whole)
    remainders: list[Held]  # what is left of reservations taken in part, to hold again (id: the original)


def consume(reservations: Sequence[Held], lines: Sequence[Held]) -> Consumption:
    """Which reservations shipping `lines` uses up; one taken in part is closed and its rest held again."""
    left = {r.id: r.quantity for r in reservations}
    touched: list[Held] = []
    for line in lines:
        need = line.quantity
        for r in reservations:
            if r.key != line.key or need == 0 or left[r.id] == 0:
                continue
            take = min(need, left[r.id])
            left[r.id] -= take
            need -= take
            if r not in touched:
                touched.append(r)
        if need:
            raise NotShippable(f"line {line.line_no} no longer holds the units this shipment carries",
                               line_no=line.line_no)
    remainders = [Held(r.line_no, r.sku_id, r.pool, left[r.id], r.id) for r in touched if left[r.id] > 0]
    return Consumption([r.id for r in touched if r.id is not None], remainders)


def tracking_target(state: str, tracking_state: str) -> str | None:
    """The shipment's next state for a tracking event; None when the event changes nothing (or comes late)."""
    target = TRACKING_TO_STATE.get(tracking_state)
    if target is None or target == state or target not in TRANSITIONS.get(state, frozenset()):
        return None
    return target


def order_status_after(step: str, order_status: str, *, units_left: int = 0, all_delivered: bool = False
                       ) -> str | None:
    """Where a shipment's step moves its order; None: the order stays (another shipment moved it already)."""
    if step == "pick":
        return "picking" if order_status == "routed" else None
    if step == "pack":
        return "packed" if order_status == "picking" else None
    if step == "ship":
        target = "partially_shipped" if units_left else "shipped"
        return None if target == order_status else target
    if step == "deliver":
        return "delivered" if order_status == "shipped" and all_delivered else None
    raise ValueError(step)


def reship_takes(lines: Sequence[Held], levels: Mapping[tuple[uuid.UUID, uuid.UUID, str], Any],
                 location_id: uuid.UUID) -> list[Take]:
    """What a lost parcel's replacement reserves: the same units from the same node and pools; the ledger refuses
    what the node no longer has available."""
    missing = [h.line_no for h in lines if (h.sku_id, location_id, h.pool) not in levels]
    if missing:
        raise InsufficientStock("the node holds none of these lines any more", lines=missing)
    return [Take(levels[(h.sku_id, location_id, h.pool)].id, h.sku_id, location_id, h.pool, h.quantity, h.line_no)
            for h in lines]


def check_pickup_code(expected: str | None, given: str) -> None:
    if expected is None or expected != given.strip():
        raise WrongPickupCode("the pickup code does not match this shipment")


def pickup_code(draw: int) -> str:
    """Six digits from a random draw in [0, 10**6)."""
    return f"{draw % 1_000_000:06d}"
