"""Forecasts for intermittent demand, many series at once: Croston, SBA and TSB.

Each takes a (series, days) matrix of demand (nan where a day is unobserved: before the first
sale, or out of stock) and returns the flat daily rate each method expects next. They run one
pass over the days, vectorised over the series.
"""

import numpy as np

SBA_FACTOR_OF_ALPHA = 0.5  # Syntetos–Boylan: multiply Croston by 1 − α/2


def croston(history: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Smoothed size of a sale ÷ smoothed interval between sales (Croston 1972)."""
    size, interval = _croston_parts(history, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = size / interval
    return np.where(np.isfinite(rate), rate, 0.0)


def sba(history: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Croston less its bias: × (1 − α/2) (Syntetos & Boylan 2005)."""
    return croston(history, alpha) * (1 - SBA_FACTOR_OF_ALPHA * alpha)


def tsb(history: np.ndarray, alpha: float = 0.1, beta: float = 0.05) -> np.ndarray:
    """Smoothed probability of a sale each day × smoothed size of a sale (Teunter, Syntetos &
    Babai 2011): unlike Croston it decays while an item stops selling."""
    probability = np.full(history.shape[0], np.nan)
    size = np.full(history.shape[0], np.nan)
    for day in history.T:
        seen = np.isfinite(day)
        sold = seen & (day > 0)
        first = seen & np.isnan(probability)
        probability = np.where(first, sold.astype(float), probability)
        size = np.where(sold & np.isnan(size), day, size)
        later = seen & ~first
        probability = np.where(later, probability + beta * (sold - probability), probability)
        size = np.where(sold & ~np.isnan(size), size + alpha * (np.nan_to_num(day) - size), size)
    return np.nan_to_num(probability * size)


def _croston_parts(history: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    size = np.full(history.shape[0], np.nan)
    interval = np.full(history.shape[0], np.nan)
    since = np.ones(history.shape[0])
    for day in history.T:
        sold = np.isfinite(day) & (day > 0)
        fresh = sold & np.isnan(size)
        size = np.where(fresh, day, np.where(sold, size + alpha * (np.nan_to_num(day) - size), size))
        interval = np.where(fresh, since, np.where(sold, interval + alpha * (since - interval), interval))
        since = np.where(sold, 1.0, since + np.isfinite(day))
    return size, interval
