"""Hypothesis strategies: stock level snapshots and needs for the pure rules, order lines and dates."""

import uuid
from datetime import UTC, datetime

from hypothesis import strategies as st

from flexhub.inventory.rules import PRESALE, SPOT, Level, Need, consigned_pool

# Few SKUs, locations and pools, so that generated needs and levels meet often.
SKU_IDS = tuple(uuid.UUID(int=n) for n in range(1, 4))
LOCATION_IDS = tuple(uuid.UUID(int=100 + n) for n in range(1, 4))
POOLS = (SPOT, PRESALE, consigned_pool("r1"))

quantities = st.integers(min_value=1, max_value=15)
prices = st.integers(min_value=0, max_value=100_000)
channel_times = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@st.composite
def levels(draw: st.DrawFn, max_size: int = 8) -> dict[uuid.UUID, Level]:
    """Level snapshots in candidate order, each with 0 <= reserved <= on_hand."""
    keys = draw(st.lists(st.tuples(st.sampled_from(SKU_IDS), st.sampled_from(LOCATION_IDS), st.sampled_from(POOLS)),
                         unique=True, max_size=max_size))
    found = {}
    for n, (sku_id, location_id, pool) in enumerate(keys):
        on_hand = draw(st.integers(0, 20))
        reserved = draw(st.integers(0, on_hand))
        level_id = uuid.UUID(int=1_000 + n)
        found[level_id] = Level(level_id, sku_id, location_id, pool, on_hand, reserved, draw(st.integers(0, 4)))
    return found


def pool_orders() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(POOLS), min_size=1, max_size=len(POOLS), unique=True).map(tuple)


@st.composite
def needs(draw: st.DrawFn, max_size: int = 4) -> list[Need]:
    """An order's needs, one per line (line numbers from 1)."""
    count = draw(st.integers(1, max_size))
    return [
        Need(draw(st.sampled_from(SKU_IDS)), draw(quantities), draw(pool_orders()), line_no)
        for line_no in range(1, count + 1)
    ]


def amounts_lines() -> st.SearchStrategy[list[tuple[int, int, int]]]:
    """(quantity, unit price, line discount) triples in minor units."""
    return st.lists(st.tuples(quantities, prices, st.integers(0, 50_000)), min_size=1, max_size=5)
