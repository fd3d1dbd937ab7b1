"""Stock-outs nobody recorded: a run of days without a sale far longer than the item's own rate of
sales makes likely is taken as days it could not sell (censored), not as days of zero demand.

flexhub marks the days a node was out of stock from its ledger; this fills in for history that
came without that mark (imported sales, the M5 data). A run still going at the end is left as it
is: the item may have stopped selling, and the forecast should see that.
"""

import numpy as np

UNLIKELY = 0.001  # a run whose probability under the item's daily sale rate is below this is a gap


def unrecorded_stockouts(history: np.ndarray, unlikely: float = UNLIKELY) -> np.ndarray:
    """A copy of `history` with the improbable zero runs, followed by a sale, set to nan."""
    zero = history == 0
    seen = np.isfinite(history)
    sold = history > 0
    rate = sold.sum(axis=1) / np.maximum(seen.sum(axis=1), 1)
    run_back, run_ahead, sale_ahead = _runs(zero, sold)
    length = run_back + run_ahead - 1
    log_chance = length * np.log1p(-np.minimum(rate, 0.999))[:, None]
    gap = zero & sale_ahead & (log_chance < np.log(unlikely))
    return np.where(gap, np.nan, history)


def _runs(zero: np.ndarray, sold: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per day: zero days in a row ending here, zero days in a row starting here, a sale later on."""
    back = np.zeros(zero.shape)
    ahead = np.zeros(zero.shape)
    later = np.zeros(zero.shape, dtype=bool)
    run = np.zeros(zero.shape[0])
    for day in range(zero.shape[1]):
        run = np.where(zero[:, day], run + 1, 0)
        back[:, day] = run
    run = np.zeros(zero.shape[0])
    seen_sale = np.zeros(zero.shape[0], dtype=bool)
    for day in range(zero.shape[1] - 1, -1, -1):
        run = np.where(zero[:, day], run + 1, 0)
        ahead[:, day] = run
        later[:, day] = seen_sale
        seen_sale |= sold[:, day]
    return back, ahead, later
