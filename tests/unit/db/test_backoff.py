"""The one back-off: doubling from its first step up to its cap, never less than half a step (no retry at once)."""

import random

from hypothesis import given
from hypothesis import strategies as st

from flexhub.db.jobs import delay


class Edge(random.Random):
    """A generator that always draws one end of the range: the back-off's least and greatest wait."""

    def __init__(self, high: bool) -> None:
        super().__init__()
        self.high = high

    def uniform(self, a: float, b: float) -> float:
        return b if self.high else a


def test_each_step_doubles_until_the_cap_and_its_upper_half_is_jittered() -> None:
    for attempts, step in [(1, 4.0), (2, 8.0), (3, 16.0), (10, 2048.0), (11, 3600.0), (40, 3600.0)]:
        assert delay(attempts, first_s=4.0, cap_s=3600.0, rng=Edge(high=False)) == step / 2
        assert delay(attempts, first_s=4.0, cap_s=3600.0, rng=Edge(high=True)) == step


@given(st.integers(min_value=0, max_value=200), st.floats(min_value=0.01, max_value=10.0))
def test_a_wait_is_within_half_a_step_and_the_cap(attempts: int, first_s: float) -> None:
    wait = delay(attempts, first_s=first_s, cap_s=300.0)
    step = min(300.0, first_s * 2 ** max(0, attempts - 1))
    assert step / 2 <= wait <= step
