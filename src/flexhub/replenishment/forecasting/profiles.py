"""Calendar profiles shared by a group of series (a category at a node, a department in a store):
how much more than an average day each weekday sells.

A group's profile is estimated from the group's total, which is far steadier than any one of its
series; every series of the group then borrows it.
"""

import numpy as np

WEEKDAYS = 7


def group_totals(history: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group index of each series, daily totals per group); unobserved days count as zero."""
    names, index = np.unique(groups, return_inverse=True)
    totals = np.zeros((len(names), history.shape[1]))
    np.add.at(totals, index, np.nan_to_num(history))
    return index, totals


def weekday_profile(totals: np.ndarray, weekday: np.ndarray, window: int) -> np.ndarray:
    """(groups, 7): mean sales on each weekday over the last `window` days ÷ the mean day."""
    recent, days = totals[:, -window:], weekday[-window:]
    mean_day = recent.mean(axis=1, keepdims=True)
    by_day = np.stack([recent[:, days == d].mean(axis=1) for d in range(WEEKDAYS)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = by_day / mean_day
    return np.where(np.isfinite(profile) & (profile > 0), profile, 1.0)


def blended_weekday_profile(history: np.ndarray, weekday: np.ndarray, groups: np.ndarray, parents: np.ndarray,
                            window: int = 28, parent_window: int = 91) -> np.ndarray:
    """(series, 7): half the group's recent profile, half its parent's (the node's category, the
    whole node) over a longer window — recent enough to follow a change, steady enough not to
    chase one odd week."""
    days = history.shape[1]
    if days < 7:
        return np.ones((history.shape[0], WEEKDAYS))
    index, totals = group_totals(history, groups)
    parent_index, parent_totals = group_totals(history, parents)
    own = weekday_profile(totals, weekday, _whole_weeks(window, days))[index]
    wider = weekday_profile(parent_totals, weekday, _whole_weeks(parent_window, days))[parent_index]
    return 0.5 * own + 0.5 * wider


def _whole_weeks(window: int, days: int) -> int:
    return max(WEEKDAYS, min(window, days) // WEEKDAYS * WEEKDAYS)
