"""Pure purchasing decisions: the order state machine, what a supplier may announce, what a receipt finds,
what a factory can still make, and what stays on order. No I/O."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flexhub.purchasing.errors import (
    InvalidLines,
    InvalidResolution,
    InvalidTransition,
    OverAnnounced,
    OverCapacity,
    PastDate,
)

KINDS = ("purchase", "production")
STATES = ("draft", "sent", "changed", "confirmed", "partly_received", "received", "closed", "cancelled")
# action -> (states it starts from, state it leads to); receipts move between the receiving states.
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "send": (frozenset({"draft"}), "sent"),
    "confirm": (frozenset({"sent"}), "confirmed"),  # the supplier takes it as sent
    "propose_change": (frozenset({"sent"}), "changed"),  # the supplier offers another quantity or date
    "accept_change": (frozenset({"changed"}), "confirmed"),
    "reject_change": (frozenset({"changed"}), "sent"),
    "cancel": (frozenset({"draft", "sent", "changed", "confirmed"}), "cancelled"),
    "close": (frozenset({"partly_received", "received"}), "closed"),
}
AMENDABLE = frozenset({"draft", "sent", "confirmed", "partly_received"})  # not while a supplier's change waits
RECEIVING = frozenset({"confirmed", "partly_received"})  # where notices may be sent and received
OPEN = frozenset({"sent", "changed", "confirmed", "partly_received"})  # still expected to bring stock
RESOLUTIONS = {"short": ("expect_rest", "close_order"), "over": ("accept", "return_to_supplier"),
               "unexpected": ("accept", "return_to_supplier")}
NOTICE_STATES = ("announced", "received")  # a supplier's shipment notice (ASN)
DISCREPANCY_KINDS = tuple(RESOLUTIONS)


def after(state: str, action: str) -> str:
    """The state `action` leads to from `state`, or InvalidTransition."""
    sources, target = ACTIONS[action]
    if state not in sources:
        raise InvalidTransition(f"a purchase order that is {state} cannot be {action.replace('_', ' ')}",
                                state=state, action=action)
    return target


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    quantity: int
    received: int = 0
    announced: int = 0  # on notices not received yet

    @property
    def open(self) -> int:
        """Units neither received nor on their way."""
        return max(0, self.quantity - self.received - self.announced)

    @property
    def on_order(self) -> int:
        """Units still to come (on their way or not): over-receipts never make it negative."""
        return max(0, self.quantity - self.received)


def state_after_receipt(lines: Sequence[Line]) -> str:
    return "received" if all(line.received >= line.quantity for line in lines) else "partly_received"


def check_expected_on(expected_on: date, today: date) -> None:
    """Goods are expected today or later: a date already gone would show as late the moment it is written."""
    if expected_on < today:
        raise PastDate(f"the expected date {expected_on.isoformat()} is already past (today is {today.isoformat()})",
                       expected_on=expected_on.isoformat(), today=today.isoformat())


def check_lines(quantities: Mapping[str, int]) -> None:
    if not quantities:
        raise InvalidLines("an order or notice needs at least one line")
    bad = sorted(sku for sku, quantity in quantities.items() if quantity <= 0)
    if bad:
        raise InvalidLines("quantities must be positive", skus=bad)


def check_announce(lines: Sequence[Line], shipped: Mapping[str, int]) -> None:
    """A notice ships only SKUs of the order, and no more of each than is still open."""
    check_lines(shipped)
    by_sku = {line.sku: line for line in lines}
    foreign = sorted(set(shipped) - set(by_sku))
    if foreign:
        raise InvalidLines("these SKUs are not on the order", skus=foreign)
    over = {sku: by_sku[sku].open for sku, units in shipped.items() if units > by_sku[sku].open}
    if over:
        raise OverAnnounced("more announced than is still open on the order", open=over)


def check_change(lines: Sequence[Line], proposed: Mapping[str, int]) -> None:
    """A supplier may change the quantity of SKUs on the order, to a positive number."""
    if proposed:
        check_lines(proposed)
    foreign = sorted(set(proposed) - {line.sku for line in lines})
    if foreign:
        raise InvalidLines("these SKUs are not on the order", skus=foreign)


def check_amend(lines: Sequence[Line], wanted: Mapping[str, int]) -> None:
    """The brand may change the quantity of SKUs on the order, never below what came in or is on its way."""
    check_change(lines, wanted)
    floor = {line.sku: line.received + line.announced for line in lines}
    below = {sku: floor[sku] for sku, quantity in wanted.items() if quantity < floor[sku]}
    if below:
        raise InvalidLines("not below what was received or is on its way", minimum=below)


@dataclass(frozen=True, slots=True)
class Found:
    """A discrepancy: what was expected of a SKU on the notice, and what was counted."""

    sku: str
    kind: str  # short | over | unexpected
    expected: int
    received: int


def compare(announced: Mapping[str, int], counted: Mapping[str, int]) -> list[Found]:
    """Each SKU counted differently from the notice, in SKU order."""
    found = []
    for sku in sorted(set(announced) | set(counted)):
        expected, got = announced.get(sku, 0), counted.get(sku, 0)
        if sku not in announced:
            found.append(Found(sku, "unexpected", 0, got))
        elif got < expected:
            found.append(Found(sku, "short", expected, got))
        elif got > expected:
            found.append(Found(sku, "over", expected, got))
    return found


def check_counts(counted: Mapping[str, int]) -> None:
    negative = sorted(sku for sku, units in counted.items() if units < 0)
    if negative:
        raise InvalidLines("counted quantities cannot be negative", skus=negative)


def check_resolution(kind: str, resolution: str) -> None:
    if resolution not in RESOLUTIONS[kind]:
        raise InvalidResolution(f"a {kind} receipt is resolved by {' or '.join(RESOLUTIONS[kind])}",
                                allowed=list(RESOLUTIONS[kind]))


def check_capacity(*, daily_capacity: int, days: int, booked: int, wanted: int) -> None:
    """Production due within `days` fits what the factory makes in them, with what it is already making."""
    room = daily_capacity * max(days, 0) - booked
    if wanted > room:
        raise OverCapacity(f"the factory can make {max(room, 0)} more units by then, not {wanted}",
                           room=max(room, 0), wanted=wanted)


def promise_date(promised: int, receipts: Sequence[tuple[date, int]]) -> date | None:
    """The day a presale unit sold now can be promised for: the receipt, earliest first, that still has a unit
    beyond the `promised` ones sold before it; None when the receipts are all sold."""
    covered = 0
    for day, units in sorted(receipts):
        covered += units
        if covered > promised:
            return day
    return None
