"""The sales curve resellers share: every seller's orders per minute added up (the brand's own stores count as one
seller, each reseller as one), so a reseller sees how the whole network sells without reading any other seller.

A minute is shown only when at least MIN_OTHERS sellers besides the viewer sold in it: taking one's own orders
away from the total then always leaves two or more sellers mixed, never one seller's figure. A minute that fails
the rule is None (a gap in the chart), whichever sellers sold in it. Pure: no I/O."""

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

MIN_OTHERS = 2
Seller = TypeVar("Seller", bound=Hashable)


def shared_per_minute(per_seller: Mapping[Seller, Sequence[int]], viewer: Seller, minutes: int,
                      min_others: int = MIN_OTHERS) -> list[int | None]:
    """Orders of all sellers per minute; None for a minute fewer than `min_others` other sellers sold in."""
    shared: list[int | None] = []
    for minute in range(minutes):
        counts = {seller: series[minute] for seller, series in per_seller.items() if series[minute]}
        others = sum(1 for seller in counts if seller != viewer)
        shared.append(sum(counts.values()) if others >= min_others else None)
    return shared
