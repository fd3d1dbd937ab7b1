"""The one back-off every retry uses: exponential in the attempts, capped, with half of it jittered.

Half jitter rather than full: a retry never comes back at once (a receiver that failed gets at least half the
step to recover), and retries of many jobs that failed together spread over the other half.
"""

import random


def delay(attempts: int, *, first_s: float, cap_s: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed try: first_s, 2×, 4×… up to cap_s, the upper half jittered."""
    step = min(cap_s, first_s * 2 ** max(0, attempts - 1))
    return step / 2 + (rng or random).uniform(0, step / 2)
