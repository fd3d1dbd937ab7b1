"""Pure planning decisions: what an event does to demand."""

import math

KINDS = ("campaign", "live_room")
ELASTICITY = 2.0  # demand grows as price^-2: 20 % off sells about 1.56 times as much (a common apparel figure)
MAX_UPLIFT = 50.0


def event_uplift(expected_uplift: float | None, discount_percent: float | None,
                 elasticity: float = ELASTICITY) -> float:
    """The demand multiplier of an event: the uplift the planner expects, or else the one its discount implies
    under constant price elasticity, (1 − discount)^−elasticity."""
    if expected_uplift is not None:
        return expected_uplift
    if discount_percent is None:
        raise ValueError("an event needs an expected uplift or a discount")
    return min(MAX_UPLIFT, math.pow(1 - discount_percent / 100, -elasticity))


def blended_uplift(uplift: float, share: float) -> float:
    """A series' multiplier when only `share` of its demand goes through the event's channels."""
    return 1 + share * (uplift - 1)
